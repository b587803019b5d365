"""The words of the PAR INDEX / SIPAS report (notebook 04_other_indices), Vietnamese and English: one
:class:`~papi_analysis.report.messages.Messages` table per kind of text. Numbers are named fields written in the
reader's marks (``{baseline:pts}`` "77,55", ``{share:pct}`` "49%", ``{maximum:num}`` "16,5", ``{year:year}``
"2022"); :mod:`papi_analysis.report.texts.indices` only chooses the message and passes the values."""

from __future__ import annotations

from ...messages import Messages

#: the plan checks of analysis.index_checks, named for a reader
CHECKS = Messages(
    {
        "target arithmetic": {"vi": "điểm gốc + mức tăng = mục tiêu", "en": "baseline + change = target"},
        "parts sum": {"vi": "các phần cộng lại bằng tổng", "en": "parts sum to the whole"},
        "within maximum": {"vi": "không vượt điểm tối đa", "en": "within the maximum"},
        "same baseline twice": {"vi": "cùng một số liệu ghi hai lần", "en": "same figure stated twice"},
    }
)
#: where in the plan a figure is written, from the first words of the targets file's ``note`` ({n}: the plan's
#: own numbering, "2.1", written as the plan writes it)
PLACES = Messages(
    {
        "table": {"vi": "bảng {n}", "en": "table {n}"},
        "footnote": {"vi": "chú thích {n}", "en": "footnote {n}"},
        "plan": {"vi": "kế hoạch", "en": "the plan"},
    }
)
SAY = Messages(
    {
        # --- names
        "total": {"vi": "Tổng điểm {short}", "en": "Total {short}"},
        "plan_name": {
            "vi": "{name}, kế hoạch năm {year:year} (năm gốc {base:year}, mục tiêu năm {target:year})",
            "en": "{name}, plan of {year:year} (baseline {base:year}, targets for {target:year})",
        },
        # --- summary: what the plan sets
        "no_targets": {
            "vi": "Kế hoạch này không đặt mục tiêu PAR INDEX hay SIPAS.",
            "en": "This plan sets no PAR INDEX or SIPAS target.",
        },
        "index_targets": {"vi": "{n:int} mục tiêu {name}", "en": "{n:int} {name} targets"},
        "index_target": {"vi": "{n:int} mục tiêu {name}", "en": "{n:int} {name} target"},
        "no_index_target": {"vi": "không có mục tiêu {name}", "en": "no {name} target"},
        "counts": {"vi": "{plan}: {par}, {sipas}.", "en": "{plan}: {par} and {sipas}."},
        "counts_parts": {
            "vi": "{plan}: {par}, {sipas}, cùng {n_parts:int} mức tăng dự kiến cho các thành phần của lĩnh vực.",
            "en": "{plan}: {par} and {sipas}, with {n_parts:int} planned increases of the fields' sub-parts.",
        },
        # --- summary: the plan's own arithmetic
        "checks_disagree": {
            "vi": "{bad:int} trong {n:int} phép kiểm tra số liệu của chính kế hoạch không khớp.",
            "en": "{bad:int} of {n:int} checks of the plan's own figures disagree.",
        },
        "checks_disagree_worst": {
            "vi": "{bad:int} trong {n:int} phép kiểm tra số liệu của chính kế hoạch không khớp; lớn nhất "
            "({discrepancy:pts} điểm): {label}, {check}.",
            "en": "{bad:int} of {n:int} checks of the plan's own figures disagree; the largest "
            "({discrepancy:pts} points): {label}, {check}.",
        },
        "too_few_checks": {
            "vi": "Kế hoạch không ghi đủ số liệu để kiểm tra số học.",
            "en": "The plan states too few figures for any arithmetic check.",
        },
        # --- summary: the gap to the maximum
        "gap": {
            "vi": "{short} năm {year:year}: {baseline:pts}/{maximum:num} điểm; còn cách điểm tối đa {gap:pts} điểm.",
            "en": "{short} {year:year}: {baseline:pts} of {maximum:num} points; {gap:pts} points below the maximum.",
        },
        "gap_ranked": {
            "vi": "{short} năm {year:year}: {baseline:pts}/{maximum:num} điểm, hạng {rank}; còn cách điểm tối đa "
            "{gap:pts} điểm.",
            "en": "{short} {year:year}: {baseline:pts} of {maximum:num} points, rank {rank}; {gap:pts} points below "
            "the maximum.",
        },
        "gap_conflict": {
            "vi": "Lưu ý: {baseline:pts} là số ở {place}; {other_place} ghi {other:pts} cho cùng điểm này (xem mục 2).",
            "en": "Note: {baseline:pts} is the figure in {place}; {other_place} gives {other:pts} for the same score "
            "(see section 2).",
        },
        "gap_asked": {
            "vi": "{n:int} mục tiêu theo lĩnh vực cộng lại cần tăng {asked:pts} điểm, tức {share:pct} khoảng cách đó.",
            "en": "The {n:int} field targets together require {asked:pts+} points, {share:pct} of that gap.",
        },
        "percent_target": {
            "vi": "{label} ≥ {share:num}% điểm tối đa ({target:pts}/{maximum:num})",
            "en": "{label} ≥ {share:num}% of the maximum ({target:pts}/{maximum:num})",
        },
        "improve_target": {
            "vi": "{label}: tăng cả điểm và thứ hạng so với năm {year:year}",
            "en": "{label}: raise both score and rank over {year:year}",
        },
        "no_baseline": {
            "vi": "Mục tiêu {targets}. Kế hoạch không ghi điểm {short} năm gốc nên không tính được khoảng cách tới "
            "điểm tối đa và mức tăng cần có.",
            "en": "Target: {targets}. The plan states no baseline {short} score, so the gap to the maximum and the "
            "required change cannot be computed.",
        },
        # --- summary: probabilities
        "needs_tables": {
            "vi": "Chưa tính được xác suất đạt mục tiêu: cần bảng {names} toàn quốc (mọi tỉnh, nhiều năm). Cách nạp: "
            "chép bảng của Bộ Nội vụ vào tệp CSV theo mẫu ở mục 2 của data/raw/targets/INDEX_TARGETS.md rồi chạy "
            "lại báo cáo với đường dẫn tới tệp (xem mục 3).",
            "en": "No probability of reaching the targets yet: that needs the national {names} table (every "
            "province, several years). To load it, copy the ministry's table into a CSV file in the layout of "
            "section 2 of data/raw/targets/INDEX_TARGETS.md and run this report again with the file's path (see "
            "section 3).",
        },
        "tables_given": {
            "vi": "Xác suất đạt mục tiêu tính từ bảng toàn quốc đã nạp: xem mục 2.",
            "en": "Probabilities of reaching the targets, from the national table given: see section 2.",
        },
        # --- the conflicting-figure warning under a headroom table
        "conflict": {
            "vi": "Cảnh báo: kế hoạch ghi điểm {label} năm {year:year} hai lần, {used:pts} ({used_place}) và "
            "{other:pts} ({other_place}). Bảng trên dùng {used:pts} ({used_place}).",
            "en": "Warning: the plan states the {year:year} {label} score twice, {used:pts} ({used_place}) and "
            "{other:pts} ({other_place}). The table above uses {used:pts} ({used_place}).",
        },
        "conflict_parent": {
            "vi": "Nhưng chỉ {other:pts} khớp với điểm lĩnh vực {parent} (tổng các thành phần).",
            "en": "Only {other:pts} agrees with the score of field {parent} (the sum of its parts).",
        },
        "conflict_other": {
            "vi": "Nếu dùng {other:pts}: mục tiêu {target:pts}, còn cách điểm tối đa {gap:pts}, mức tăng cần "
            "{change:pts+} điểm. Cần xác nhận lại số liệu này.",
            "en": "With {other:pts}: target {target:pts}, gap to maximum {gap:pts}, required change {change:pts+} "
            "points. This figure should be confirmed.",
        },
        # --- table notes
        "not_stated": {"vi": "— : kế hoạch không ghi số liệu này.", "en": "— : the plan does not state this figure."},
        "conflicting_baseline": {
            "vi": "Số liệu năm gốc mâu thuẫn: xem cảnh báo dưới bảng",
            "en": "Conflicting baseline: see the warning below",
        },
        "at_max": {"vi": "Đã đạt điểm tối đa năm gốc", "en": "Already at the maximum in the baseline year"},
        # --- how to get a probability
        "needs_table": {
            "vi": "Chưa có xác suất đạt mục tiêu {short}: cần bảng {name} toàn quốc (điểm của mọi tỉnh qua nhiều "
            "năm) để biết các tỉnh thường tăng được bao nhiêu điểm trong một năm; số liệu trong kế hoạch không cho "
            "biết điều đó. Bảng này chưa được công bố dưới dạng máy đọc được. Cách nạp: chép bảng của Bộ Nội vụ "
            "vào một tệp CSV theo mẫu ở mục 2 của tệp data/raw/targets/INDEX_TARGETS.md rồi chạy lại báo cáo này "
            "với đường dẫn tới tệp đó (lệnh mẫu ở cùng mục); báo cáo khi đó cho xác suất và nhận định theo cùng mô "
            "hình đã kiểm định với PAPI.",
            "en": "No probability of reaching the {short} targets yet: that needs the national {name} table (every "
            "province's score over several years), which shows how much provinces usually gain in a year; the "
            "plan's own figures cannot say that. The table is not published in a machine-readable form. To load "
            "it: copy the Ministry of Home Affairs' table into a CSV file in the layout of section 2 of "
            "data/raw/targets/INDEX_TARGETS.md and run this report again with the path of that file (the command "
            "is in the same section); the report then gives probabilities and verdicts from the same model that "
            "is calibrated on PAPI.",
        },
        "probability_given": {
            "vi": "Xác suất đạt mục tiêu {short} ở bảng mục 2, tính từ bảng toàn quốc đã nạp bằng cùng mô hình đã "
            "kiểm định với PAPI.",
            "en": "The probabilities of reaching the {short} targets are in the table of section 2, computed from "
            "the national table given, with the same model that is calibrated on PAPI.",
        },
        # --- the checks line (nbval compares it) and section 1
        "checks_line": {
            "vi": "{n:int} phép kiểm tra, {bad:int} chỗ không khớp",
            "en": "{n:int} checks, {bad:int} inconsistencies",
        },
        "checks_line_listed": {
            "vi": "{n:int} phép kiểm tra, {bad:int} chỗ không khớp: {listed}",
            "en": "{n:int} checks, {bad:int} inconsistencies: {listed}",
        },
        "check_listed": {
            "vi": "{short} {component}: {check} ({stated} / {found})",
            "en": "{short} {component}: {check} ({stated} / {found})",
        },
        "versus": {"vi": "so với", "en": "vs"},
        "too_few_figures": {
            "vi": "Kế hoạch không ghi đủ số liệu (điểm năm gốc, mức tăng, điểm tối đa) để kiểm tra số học.",
            "en": "The plan states too few figures (baseline, planned change, maximum) for any arithmetic check.",
        },
        "all_agree": {"vi": "Cả {n:int} phép kiểm tra đều khớp.", "en": "All {n:int} checks agree."},
        # --- captions
        "caption_evaluated": {
            "vi": "{short}, {name}: mục tiêu năm {target:year} so với năm {base:year}, xác suất từ bảng toàn quốc",
            "en": "{short}, {name}: {target:year} targets against {base:year}, probabilities from the national table",
        },
        "caption_stated": {
            "vi": "{short}, {name}: mục tiêu năm {target:year} so với điểm năm {base:year} do kế hoạch ghi (chưa có "
            "xác suất)",
            "en": "{short}, {name}: {target:year} targets against the {base:year} scores the plan states (no "
            "probability yet)",
        },
        "figure_fields": {
            "vi": "Cách đọc: mỗi thanh là một lĩnh vực, dài bằng điểm tối đa của nó (các lĩnh vực có điểm tối đa "
            "khác nhau). Phần xám đậm là điểm năm {base:year} kế hoạch ghi, phần cam là mức tăng tới mục tiêu năm "
            "{target:year}; con số bên phải: điểm gốc → mục tiêu / điểm tối đa. Biểu đồ vẽ {n:int} lĩnh vực; các "
            "thành phần của lĩnh vực ở bảng dưới. Biểu đồ không cho biết mức tăng có khả thi hay không, cũng không "
            "so sánh với các tỉnh khác.",
            "en": "How to read: each bar is a field, as long as its maximum points (fields have different maxima). "
            "Dark grey is the {base:year} score the plan states, orange the planned gain to the {target:year} "
            "target; the numbers on the right: baseline → target / maximum. The figure shows the {n:int} fields; "
            "the fields' parts are in the table below. It does not show whether a gain is achievable, nor how "
            "other provinces score.",
        },
        "figure_total": {
            "vi": "Cách đọc: mỗi thanh là tổng điểm, dài bằng điểm tối đa của nó (các lĩnh vực có điểm tối đa khác "
            "nhau). Phần xám đậm là điểm năm {base:year} kế hoạch ghi, phần cam là mức tăng tới mục tiêu năm "
            "{target:year}; con số bên phải: điểm gốc → mục tiêu / điểm tối đa. Biểu đồ vẽ tổng điểm; các thành "
            "phần của lĩnh vực ở bảng dưới. Biểu đồ không cho biết mức tăng có khả thi hay không, cũng không so "
            "sánh với các tỉnh khác.",
            "en": "How to read: each bar is the total, as long as its maximum points (fields have different "
            "maxima). Dark grey is the {base:year} score the plan states, orange the planned gain to the "
            "{target:year} target; the numbers on the right: baseline → target / maximum. The figure shows the "
            "total; the fields' parts are in the table below. It does not show whether a gain is achievable, nor "
            "how other provinces score.",
        },
    }
)
