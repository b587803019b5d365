"""A short glossary at the end of a report: every term a reader meets, explained once in plain words, in the
report's language (issue 28 item 1).

Each entry of :data:`TERMS` is a term and its explanation (two messages, ``<key>`` and ``<key>_means``, in both
languages). A report lists the keys of the terms it uses (:data:`TARGET_TERMS` for the target report) and shows them
with :func:`glossary_html`. Terms of the other reports (the links report's corrections, for instance) are here too, so
that their owners can add a glossary with one call.
"""

from __future__ import annotations

import html

from ...params import check_lang
from .messages import Messages

TERMS = Messages(
    {
        "title": {"vi": "Thuật ngữ", "en": "Glossary"},
        "intro": {
            "vi": "Các từ dưới đây được dùng trong báo cáo với nghĩa như sau.",
            "en": "The words below are used in this report with these meanings.",
        },
        # ----------------------------------------------------------------- the leadership part
        "baseline": {"vi": "Năm gốc, điểm năm gốc", "en": "Baseline year, baseline score"},
        "baseline_means": {
            "vi": "Năm mà kế hoạch lấy làm mốc so sánh, và điểm của tỉnh năm đó: điểm PAPI đã công bố, hoặc, với tỉnh, "
            "thành phố hợp nhất trước năm 2025, ước tính của dự án (xem Ước tính).",
            "en": "The year a plan compares against, and the province's score that year: the published PAPI score or, "
            "for a merged province before 2025, this project's estimate (see Estimate).",
        },
        "probability": {"vi": "Xác suất đạt", "en": "Probability of reaching a target"},
        "probability_means": {
            "vi": "Trong những tình huống giống tình huống của tỉnh (cùng điểm xuất phát, cùng mức tăng cần đạt), mục "
            "tiêu đạt được bao nhiêu lần trên 100. 25% nghĩa là khoảng 1 lần trong 4. Đó là ước lượng từ số liệu các "
            "năm trước, không phải đánh giá nỗ lực của tỉnh.",
            "en": "Out of 100 situations like the province's (same starting score, same gain needed), how many times "
            "the target is reached. 25% means about 1 time in 4. It is an estimate from past years, not a judgement "
            "of the province's effort.",
        },
        "model": {"vi": "Mô hình", "en": "Model"},
        "model_means": {
            "vi": "Cách tính xác suất từ lịch sử điểm PAPI của mọi tỉnh: điểm thay đổi bao nhiêu trong một năm, tỉnh "
            "điểm cao thường giảm lại còn tỉnh điểm thấp thường tăng, và cả nước cùng tăng hay cùng giảm.",
            "en": "The way the probabilities are computed from every province's PAPI history: how much scores move "
            "in a year, how high scores tend to fall back and low ones to rise, and how the whole country moves "
            "together.",
        },
        "verdict": {"vi": "Nhận định, mức khả thi", "en": "Verdict, feasibility word"},
        "verdict_means": {
            "vi": "Một từ thay cho xác suất: khả thi (từ 60%), có thể đạt (30–59%), tham vọng (10–29%), rất tham vọng "
            "(dưới 10%).",
            "en": "A word for the probability: likely (60% or more), possible (30–59%), ambitious (10–29%), very "
            "ambitious (under 10%).",
        },
        "range": {"vi": "Khoảng (của xác suất)", "en": "Range (of a probability)"},
        "range_means": {
            "vi": "Xác suất thấp nhất và cao nhất khi cả nước có một năm kém hoặc một năm tốt, hoặc khi xác suất được "
            "chỉnh theo kết quả kiểm tra trên các năm trước.",
            "en": "The lowest and highest probability if the whole country has a poor or a good year, or once the "
            "probability is corrected by the check on earlier years.",
        },
        "national_year": {
            "vi": "Năm kém, năm bình thường, năm tốt của cả nước",
            "en": "The country's poor, typical and good year",
        },
        "national_year_means": {
            "vi": "Một phần thay đổi của mỗi tỉnh là chung cho cả nước: có năm điểm trung bình toàn quốc tăng, có năm "
            "giảm. Năm kém: chỉ 1 năm trong 10 kém hơn; năm tốt: chỉ 1 năm trong 10 tốt hơn.",
            "en": "Part of every province's change is shared by the whole country: some years the national average "
            "rises, some years it falls. A poor year: only 1 year in 10 is worse; a good year: only 1 year in 10 is "
            "better.",
        },
        "historical_share": {"vi": "Tỷ lệ lịch sử", "en": "Historical share"},
        "historical_share_means": {
            "vi": "Trong các trường hợp đã xảy ra trước đây với vị trí xuất phát tương tự, bao nhiêu phần trăm đã đạt "
            "điều mục tiêu đòi hỏi (mức tăng điểm, nhóm hay thứ hạng). Con số riêng, không thay cho xác suất của mô "
            "hình.",
            "en": "Among past cases with a similar starting position, the share that reached what the target asks (a "
            "gain in score, a group or a rank). A separate number, not a substitute for the model probability.",
        },
        "regression": {"vi": "Hồi quy về trung bình", "en": "Regression to the mean"},
        "regression_means": {
            "vi": "Tỉnh có điểm rất cao năm nay thường giảm một chút năm sau, tỉnh có điểm rất thấp thường tăng một "
            "chút, kể cả khi không có gì thay đổi thật.",
            "en": "A province with a very high score this year tends to score a little lower the next year, and a "
            "very low one a little higher, even when nothing really changed.",
        },
        "group": {"vi": "Nhóm (cao nhất, trung bình cao, …)", "en": "Group (highest, high average, …)"},
        "group_means": {
            "vi": "PAPI chia các tỉnh thành bốn nhóm bằng nhau theo điểm của năm: nhóm cao nhất (25% tỉnh điểm cao "
            "nhất), trung bình cao, trung bình thấp và thấp nhất.",
            "en": "PAPI splits the provinces into four equal groups by that year's score: highest (the top 25%), "
            "high average, low average and lowest.",
        },
        "median": {"vi": "Trung vị toàn quốc", "en": "National median"},
        "median_means": {
            "vi": "Điểm của tỉnh đứng giữa: một nửa số tỉnh cao hơn, một nửa thấp hơn.",
            "en": "The middle province's score: half the provinces score higher, half lower.",
        },
        "band": {"vi": "Dải dự báo 50% và 90%", "en": "50% and 90% predictive range"},
        "band_means": {
            "vi": "Khoảng điểm mà mô hình cho là điểm năm tới sẽ rơi vào, 1 lần trong 2 (dải đậm) hoặc 9 lần trong "
            "10 (dải nhạt).",
            "en": "The scores next year's score falls in 1 time in 2 (dark band) or 9 times in 10 (light band), by "
            "the model.",
        },
        "advice": {"vi": "Mức khả năng 90%, 70%, 50%", "en": "90%, 70% and 50% chance"},
        "advice_means": {
            "vi": "Mục tiêu tỉnh đạt được 9 lần trong 10 (chắc chắn), 7 lần trong 10, hay 1 lần trong 2 (thử thách) "
            "theo cùng mô hình.",
            "en": "A target the province reaches 9 times in 10 (safe), 7 times in 10, or 1 time in 2 (a stretch), by "
            "the same model.",
        },
        "weak_calibration": {"vi": "Hiệu chỉnh yếu", "en": "Weak calibration"},
        "weak_calibration_means": {
            "vi": "Nhãn cho loại mục tiêu mà khi kiểm tra trên các năm trước, xác suất của mô hình lệch khỏi thực tế "
            "nhiều hơn mức có thể do may rủi. Nhận định vẫn giữ nguyên; nhãn nói nên thận trọng hơn với nó.",
            "en": "A label for kinds of target whose probabilities, checked on earlier years, were further off than "
            "luck explains. The verdict stays; the label says to treat it with more caution.",
        },
        "estimate": {"vi": "Ước tính (tỉnh hợp nhất)", "en": "Estimate (merged province)"},
        "estimate_means": {
            "vi": "Điểm trước năm 2025 của một tỉnh, thành phố hợp nhất: bình quân điểm đã công bố của các tỉnh cũ, "
            "tính theo dân số. Do dự án này tính, không phải số liệu PAPI công bố.",
            "en": "A merged province's score before 2025: the population-weighted average of its former provinces' "
            "published scores. Computed by this project, not published by PAPI.",
        },
        # ----------------------------------------------------------------- the appendix
        "backtest": {"vi": "Kiểm định ngược", "en": "Backtest"},
        "backtest_means": {
            "vi": "Cách kiểm tra mô hình: đứng ở từng năm trong quá khứ, chỉ dùng số liệu trước năm đó để dự báo năm "
            "sau, rồi so dự báo với điều đã thực sự xảy ra.",
            "en": "How the model is checked: standing at each past year, it forecasts the next year from earlier "
            "data only, and the forecast is compared with what really happened.",
        },
        "out_of_sample": {"vi": "Ngoài mẫu", "en": "Out of sample"},
        "out_of_sample_means": {
            "vi": "Dự báo cho một năm mà mô hình chưa được thấy khi được xây dựng.",
            "en": "A forecast of a year the model had not seen when it was built.",
        },
        "calibration": {"vi": "Hiệu chỉnh", "en": "Calibration"},
        "calibration_means": {
            "vi": "Mức khớp giữa xác suất dự báo và thực tế: trong các lần dự báo 30%, sự việc có xảy ra khoảng 30% "
            "số lần không.",
            "en": "How well forecast probabilities match what happens: of the forecasts of 30%, did about 30% come "
            "true.",
        },
        "ece": {"vi": "Sai lệch hiệu chỉnh", "en": "Calibration error (ECE)"},
        "ece_means": {
            "vi": "Khoảng cách trung bình giữa xác suất dự báo và tỷ lệ thực tế, khi gộp các dự báo thành 10 mức (0–10%, "
            "10–20%, …). 0 là khớp hoàn toàn.",
            "en": "The average gap between forecast probabilities and how often the event happened, with forecasts "
            "grouped in 10 levels (0–10%, 10–20%, …). 0 is a perfect match.",
        },
        "correct_model_noise": {"vi": "Nhiễu của một mô hình đúng", "en": "A correct model's noise"},
        "correct_model_noise_means": {
            "vi": "Với ít năm số liệu, ngay cả một mô hình đúng cũng trông như lệch vì may rủi. Mức này được tính bằng "
            "cách mô phỏng một nghìn lần: sai lệch nằm trong mức đó thì không có gì đáng lo.",
            "en": "With few years of data even a correct model looks off by chance. This margin is found by simulating "
            "1,000 times: an error inside it is no cause for concern.",
        },
        "brier": {"vi": "Điểm Brier", "en": "Brier score"},
        "brier_means": {
            "vi": "Sai số của xác suất: trung bình của (xác suất dự báo − kết quả)², kết quả là 1 nếu đạt và 0 nếu "
            "không. Thấp hơn là tốt hơn.",
            "en": "The error of probabilities: the average of (forecast − outcome)², the outcome being 1 if reached and "
            "0 if not. Lower is better.",
        },
        "crps": {"vi": "Sai số của cả dải dự báo", "en": "CRPS"},
        "crps_means": {
            "vi": "Thước đo sai số cho dự báo điểm số có cả dải (không chỉ một con số), tính bằng điểm; thấp hơn là "
            "tốt hơn.",
            "en": "Continuous ranked probability score: the error of a forecast that gives a whole range of scores "
            "rather than one number, in points; lower is better.",
        },
        "competitor_difference": {
            "vi": "Chênh lệch so với đối thủ (tốt hơn, không phân biệt được, kém hơn)",
            "en": "Difference against a competitor (better, not distinguishable, worse)",
        },
        "competitor_difference_means": {
            "vi": "Sai số của một cách dự báo đơn giản trừ sai số của mô hình (điểm Brier, hoặc sai số của cả dải dự "
            "báo với điểm số), trung bình trên mỗi dự báo, kèm khoảng 95% lấy mẫu lại theo năm. Cả khoảng trên 0: mô "
            "hình tốt hơn; cả khoảng dưới 0: mô hình kém hơn; khoảng chứa 0: không phân biệt được.",
            "en": "A simple way of forecasting's error minus the model's (Brier score, or CRPS for scores), on average "
            "per forecast, with its 95% interval resampling years. The whole interval above 0: the model is better; "
            "below 0: the model is worse; an interval holding 0: not distinguishable.",
        },
        "base_rate": {"vi": "Tần suất theo vị trí xuất phát", "en": "Position base rate"},
        "base_rate_means": {
            "vi": "Cách dự báo đơn giản thứ nhất: tỷ lệ đạt mục tiêu trong quá khứ ở các tỉnh có điểm xuất phát tương "
            "tự.",
            "en": "The first simple competitor: how often provinces that started from a similar score reached the "
            "target in the past.",
        },
        "random_walk": {"vi": "Bước ngẫu nhiên", "en": "Random walk"},
        "random_walk_means": {
            "vi": "Cách dự báo đơn giản thứ hai: điểm năm sau bằng điểm năm nay cộng một thay đổi ngẫu nhiên (theo "
            "một phân phối có đuôi dày: thay đổi lớn hiếm nhưng có thể xảy ra).",
            "en": "The second simple competitor: next year's score is this year's plus a random change (a Student-t "
            "spread, with heavy tails: large changes are rare but possible).",
        },
        "resampling": {"vi": "Khoảng 95% lấy mẫu lại theo năm", "en": "95% interval resampling years"},
        "resampling_means": {
            "vi": "Độ bất định của một con số kiểm định ngược: tính lại nhiều lần, mỗi lần rút ngẫu nhiên các năm (cả "
            "năm một lúc), và lấy khoảng chứa 95% kết quả.",
            "en": "The uncertainty of a backtest figure: computed again many times, each time drawing whole years at "
            "random, and the range holding 95% of the results (a bootstrap).",
        },
        "methodology_break": {"vi": "Mốc thay đổi phương pháp", "en": "Methodology break"},
        "methodology_break_means": {
            "vi": "Năm PAPI đổi cách tính điểm (như năm 2018 với tổng điểm): điểm trước và sau mốc không so sánh "
            "trực tiếp được.",
            "en": "A year PAPI changed how a score is computed (such as 2018 for the total): scores before and after "
            "cannot be compared directly.",
        },
        "variance": {"vi": "Phương sai, cỡ hiệu dụng", "en": "Variance, effective size"},
        "variance_means": {
            "vi": "Phương sai: độ dao động của điểm quanh mức thường thấy. Cỡ hiệu dụng: tỉnh hợp nhất được tính như "
            "bao nhiêu tỉnh cũ; tỉnh lớn hơn thì dao động ít hơn.",
            "en": "Variance: how much a score moves around its usual level. Effective size: how many former "
            "provinces a merged province counts as; a larger one moves less.",
        },
        # ----------------------------------------------------------------- other reports
        "correlation": {"vi": "Tương quan, hệ số tương quan", "en": "Correlation"},
        "correlation_means": {
            "vi": "Mức hai chỉ số cùng lên cùng xuống, từ −1 (luôn ngược chiều) qua 0 (không liên hệ) đến 1 (luôn "
            "cùng chiều). Tương quan không cho biết chỉ số nào tác động đến chỉ số nào.",
            "en": "How far two dimensions rise and fall together, from −1 (always opposite) through 0 (no link) to 1 "
            "(always together). It does not say which influences which.",
        },
        "robust_link": {"vi": "Liên hệ vững", "en": "Robust link"},
        "robust_link_means": {
            "vi": "Liên hệ còn nguyên khi tính theo nhiều cách, khi bỏ bớt từng năm hay từng vùng, và khi so cả trong "
            "từng tỉnh lẫn giữa các tỉnh; một liên hệ chỉ xuất hiện theo một cách tính thì không được gọi là vững.",
            "en": "A link that holds when computed in several ways, when any one year or region is left out, and "
            "both within provinces and between them; a link that shows in one computation only is not called robust.",
        },
        "p_value": {"vi": "Giá trị p", "en": "p-value"},
        "p_value_means": {
            "vi": "Nếu thật ra không có liên hệ, khả năng thấy một kết quả mạnh như thế chỉ do may rủi. Dưới 0,05 "
            "(5%) thường được coi là rõ; khi xem nhiều cặp cùng lúc, ngưỡng được nâng lên (xem hiệu chỉnh cho nhiều "
            "phép thử).",
            "en": "If there were really no link, the chance of seeing a result this strong by luck alone. Below 0.05 "
            "(5%) is usually called clear; when many pairs are looked at together the bar is raised (see the "
            "correction for many tests).",
        },
        "partial_correlation": {"vi": "Tương quan riêng phần", "en": "Partial correlation"},
        "partial_correlation_means": {
            "vi": "Tương quan của hai chỉ số khi các chỉ số còn lại được giữ nguyên: liên hệ trực tiếp giữa hai chỉ "
            "số, không qua các chỉ số khác.",
            "en": "The correlation of two dimensions with all the others held fixed: the direct link between the two, "
            "not through the others.",
        },
        "leads": {"vi": "Đi trước", "en": "Leads"},
        "leads_means": {
            "vi": "Điểm năm trước của một chỉ số báo trước thay đổi năm nay của chỉ số kia. Đi trước không có nghĩa "
            "là gây ra.",
            "en": "Last year's score on one dimension foretells this year's change on another. Leading does not mean "
            "causing.",
        },
        "common_factor": {"vi": "Yếu tố chung", "en": "Common factor"},
        "common_factor_means": {
            "vi": "Phần dao động mà mọi chỉ số cùng chia sẻ (thành phần chính thứ nhất); phần này càng lớn, các chỉ "
            "số càng phản ánh cùng một điều.",
            "en": "The part of the variation every dimension shares (the first principal component); the larger it "
            "is, the more the dimensions measure one thing.",
        },
        "confidence_interval": {"vi": "Khoảng tin cậy", "en": "Confidence interval"},
        "confidence_interval_means": {
            "vi": "Khoảng mà điểm thật của tỉnh nhiều khả năng nằm trong, vì PAPI chỉ hỏi một mẫu người dân. Hai "
            "khoảng chồng lên nhau nghĩa là chưa chắc có khác biệt thật.",
            "en": "The range the province's true score most likely lies in, since PAPI asks a sample of citizens. "
            "Overlapping intervals mean a difference may not be real.",
        },
        "standard_error": {"vi": "Sai số chuẩn", "en": "Standard error (SE)"},
        "standard_error_means": {
            "vi": "Độ không chắc chắn của một điểm do chỉ khảo sát một mẫu người dân; khoảng tin cậy 95% là điểm "
            "±1,96 sai số chuẩn.",
            "en": "How uncertain a score is because only a sample of citizens is surveyed; the 95% confidence interval "
            "is the score ±1.96 standard errors.",
        },
        "multiple_testing": {
            "vi": "Hiệu chỉnh cho nhiều phép thử (Holm, Benjamini–Hochberg)",
            "en": "Correction for many tests (Holm, Benjamini–Hochberg)",
        },
        "multiple_testing_means": {
            "vi": "Khi thử nhiều cặp chỉ số cùng lúc, một số cặp sẽ trông có liên hệ chỉ do may rủi; hai cách tính "
            "này (mang tên người đề xuất) nâng ngưỡng để loại bớt các liên hệ may rủi đó.",
            "en": "When many pairs are tested at once, some look related by chance alone; these two methods (named "
            "after their authors) raise the bar to weed such chance links out.",
        },
        "placebo": {"vi": "Hiệu chỉnh bằng dữ liệu xáo trộn (phép thử placebo)", "en": "Placebo calibration"},
        "placebo_means": {
            "vi": "Lặp lại phép tính trên dữ liệu đã xáo trộn (nơi chắc chắn không có liên hệ) để xem phép thử báo "
            "nhầm bao nhiêu lần, rồi chỉnh giá trị p theo đó.",
            "en": "The calculation repeated on shuffled data (where surely no link exists) to see how often the test "
            "raises a false alarm, and the p-values corrected by that.",
        },
        "wild_bootstrap": {
            "vi": "Lấy mẫu lại theo tỉnh",
            "en": "Wild cluster bootstrap",
        },
        "wild_bootstrap_means": {
            "vi": "Cách tính độ bất định khi số liệu của một tỉnh qua các năm gắn với nhau: tính lại nhiều lần với "
            "dấu của sai số từng tỉnh được đổi ngẫu nhiên.",
            "en": "A way to measure uncertainty when a province's years are linked: recomputed many times with each "
            "province's errors flipped in sign at random.",
        },
        "dynamic_panel": {"vi": "Hệ số Anderson–Hsiao", "en": "Anderson–Hsiao coefficient"},
        "dynamic_panel_means": {
            "vi": "Ước lượng tác động của điểm năm trước lên năm sau, đã loại phần riêng cố định của từng tỉnh (mang "
            "tên hai tác giả của phương pháp).",
            "en": "An estimate of how last year's score affects next year's with each province's fixed traits "
            "removed (named after the method's two authors).",
        },
        "distance": {"vi": "Khoảng cách giữa các tỉnh", "en": "Distance between provinces"},
        "distance_means": {
            "vi": "Mức giống nhau của hai tỉnh trên mọi chỉ số nội dung cùng lúc: căn bậc hai của tổng bình phương "
            "chênh lệch điểm (khoảng cách Euclid); nhỏ hơn là giống hơn.",
            "en": "How alike two provinces are on every dimension at once: the square root of the summed squared "
            "score differences (Euclidean distance); smaller is more alike.",
        },
        # ----------------------------------------------------------------- the trends report
        "sampling_noise": {"vi": "Nhiễu chọn mẫu", "en": "Sampling noise"},
        "sampling_noise_means": {
            "vi": "Phần thay đổi của điểm chỉ do PAPI hỏi một mẫu người dân khác mỗi năm, không phải do quản trị thay "
            "đổi. Một thay đổi nhỏ hơn nhiễu này chưa chắc là thay đổi thật.",
            "en": "The part of a score's movement that comes only from PAPI asking a different sample of citizens each "
            "year, not from a change in governance. A change smaller than this noise may not be real.",
        },
        "quartile": {"vi": "Tứ phân vị, ngưỡng nhóm", "en": "Quartiles, group cut-offs"},
        "quartile_means": {
            "vi": "Ba điểm chia các tỉnh của một năm thành bốn nhóm đông bằng nhau; chúng được tính lại mỗi năm nên "
            "ngưỡng của một nhóm dịch chuyển theo năm.",
            "en": "The three scores that split a year's provinces into four equal groups; they are recomputed every "
            "year, so a group's cut-off moves from year to year.",
        },
        "rank_interval": {"vi": "Khoảng của thứ hạng", "en": "Rank interval"},
        "rank_interval_means": {
            "vi": "Những thứ hạng mà tỉnh có thể có khi tính đến nhiễu chọn mẫu của mọi tỉnh: thứ hạng thật nằm "
            "trong khoảng này ít nhất 95 trên 100 lần. Khoảng rộng nghĩa là thứ hạng công bố chưa chắc chắn.",
            "en": "The ranks the province could hold once every province's sampling noise is counted: the true rank "
            "lies in it at least 95 times in 100. A wide interval means the published rank is uncertain.",
        },
        "simultaneous_interval": {
            "vi": "Khoảng đồng thời (xem cả nước một lúc)",
            "en": "Simultaneous interval (reading the whole country at once)",
        },
        "simultaneous_interval_means": {
            "vi": "Khoảng của thứ hạng rộng hơn, dùng khi đọc thứ hạng của nhiều tỉnh cùng lúc: mọi khoảng cùng đúng "
            "ít nhất 95 trên 100 lần.",
            "en": "A wider rank interval, for reading many provinces' ranks at once: all the intervals hold together "
            "at least 95 times in 100.",
        },
        "group_probability": {"vi": "Xác suất thuộc nhóm", "en": "Probability of a group"},
        "group_probability_means": {
            "vi": "Khả năng tỉnh thật sự thuộc một nhóm (cao nhất, trung bình cao, …) khi tính đến nhiễu chọn mẫu; "
            "90% nghĩa là khoảng 9 lần trong 10.",
            "en": "How likely the province truly belongs to a group (highest, high average, …) once sampling noise "
            "is counted; 90% means about 9 times in 10.",
        },
        "ci_abbreviation": {"vi": "Thứ hạng (khoảng tin cậy 95%)", "en": "Rank (95% confidence interval)"},
        "ci_abbreviation_means": {
            "vi": 'Cách đọc một ô của bảng thứ hạng: "25 (13–30) / 32" nghĩa là hạng 25 trên 32 tỉnh, và với độ tin '
            "cậy 95%, thứ hạng thật nằm trong khoảng từ 13 đến 30.",
            "en": 'How to read a cell of a rank table: "25 (13–30) / 32" means rank 25 of 32 provinces, the true rank '
            "lying between 13 and 30 with 95% confidence.",
        },
        "frontier": {"vi": "Điểm khoảng cách tới biên", "en": "Distance-to-frontier score"},
        "frontier_means": {
            "vi": "Vị trí của tỉnh giữa tỉnh thấp nhất (0) và tỉnh cao nhất (100) của năm, như Ngân hàng Thế giới "
            "tính cho các bảng xếp hạng của mình; 75 nghĩa là tỉnh đã đi được ba phần tư quãng đường tới tỉnh "
            "dẫn đầu.",
            "en": "The province's position between the year's lowest (0) and highest province (100), as the World "
            "Bank computes it for its rankings; 75 means three quarters of the way to the best province.",
        },
    }
)

#: the terms a reader of the target report meets, in the order they appear (main part, then appendix)
TARGET_TERMS: tuple[str, ...] = (
    "baseline",
    "probability",
    "model",
    "verdict",
    "range",
    "national_year",
    "historical_share",
    "regression",
    "group",
    "median",
    "band",
    "advice",
    "weak_calibration",
    "estimate",
    "backtest",
    "out_of_sample",
    "calibration",
    "ece",
    "correct_model_noise",
    "brier",
    "crps",
    "competitor_difference",
    "base_rate",
    "random_walk",
    "resampling",
    "methodology_break",
    "variance",
)


#: the terms a reader of the links report meets, in the order they appear (main part, then appendix)
LINKS_TERMS: tuple[str, ...] = (
    "correlation",
    "robust_link",
    "multiple_testing",
    "leads",
    "confidence_interval",
    "p_value",
    "partial_correlation",
    "wild_bootstrap",
    "placebo",
    "dynamic_panel",
    "common_factor",
    "methodology_break",
)


def entries(keys: tuple[str, ...] | list[str], lang: str) -> list[tuple[str, str]]:
    """(term, explanation) for each key, in ``lang``."""
    lang = check_lang(lang)
    return [(TERMS(k, lang), TERMS(f"{k}_means", lang)) for k in keys]


def glossary_html(keys: tuple[str, ...] | list[str], lang: str) -> str:
    """The glossary as a definition list under its title (``<h2>``), one entry per key."""
    lang = check_lang(lang)
    # a grid keeps each term on the row of its own explanation: the page theme floats <dt> at a fixed width, so a
    # term longer than that width pushed every later explanation one row down (beside the next term)
    cell = "margin:0;float:none;width:auto;padding:0.15em 0"
    items = "".join(
        f'<dt style="{cell};grid-column:1"><strong>{html.escape(term)}</strong></dt>'
        f'<dd style="{cell};grid-column:2">{html.escape(means)}</dd>'
        for term, means in entries(keys, lang)
    )
    grid = "display:grid;grid-template-columns:minmax(8em,16em) 1fr;column-gap:1em;break-inside:auto"
    return (
        f'<h2 id="glossary">{html.escape(TERMS("title", lang))}</h2><p>{html.escape(TERMS("intro", lang))}</p>'
        f'<dl class="papi-glossary" style="{grid}">{items}</dl>'
    )
