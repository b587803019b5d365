"""Plain sentences and one reader's table about a province's rank, its uncertainty and its peers (vi or en).

Every number in a sentence is taken from the analysis table passed in (one number per claim).
"""

from __future__ import annotations

import pandas as pd

from ...analysis import rank_uncertainty
from ...data import provinces
from ...params import check_lang
from ..figures import dimension_label, label
from ..figures.ranks import rank_interval
from ..numbers import number, percent
from .messages import Messages


def _num(value: float, lang: str, digits: int = 2, sign: bool = False) -> str:
    return number(value, lang, digits, sign=sign)


def _gap(points: float, lang: str) -> str:
    """A positive distance in points, 2 decimals; one that would round to zero gets 3 ("0,004"): never "0,00"
    beside a group the province is not in (a number still, for the workbook)."""
    if pd.notna(points) and 0 < float(points) < 0.005:
        return _num(points, lang, 3)
    return _num(points, lang)


def _name(code: int, lang: str, geography: str = "63") -> str:
    try:
        return provinces.name(int(code), lang, geography=geography)
    except Exception:  # a code outside the 63-province registry (another geography)
        return str(code)


SAY = Messages(
    {
        "places": {"vi": "{n} bậc", "en": "{n} places"},
        "place": {"vi": "{n} bậc", "en": "{n} place"},
        "went_up": {"vi": "tăng {places}", "en": "went up {places}"},
        "went_down": {"vi": "giảm {places}", "en": "went down {places}"},
        "kept": {"vi": "giữ nguyên thứ hạng", "en": "kept its rank"},
        "own": {
            "vi": "nếu các tỉnh khác giữ nguyên điểm, riêng thay đổi điểm của tỉnh ({points:pts+} điểm) sẽ làm tỉnh "
            "{effect}",
            "en": "had the other provinces kept their scores, its own score change ({points:pts+} points) would have "
            "{effect}",
        },
        "own_up": {"vi": "tăng {places}", "en": "moved it up {places}"},
        "own_down": {"vi": "giảm {places}", "en": "moved it down {places}"},
        "own_none": {"vi": "không đổi hạng", "en": "left its rank unchanged"},
        "others": {"vi": "thay đổi của các tỉnh khác {effect}", "en": "the other provinces' moves {effect}"},
        "others_up": {"vi": "giúp tỉnh tăng thêm {places}", "en": "gained it {places}"},
        "others_down": {"vi": "làm tỉnh mất {places}", "en": "cost it {places}"},
        "others_none": {"vi": "không làm thay đổi thứ hạng", "en": "made no difference"},
        "sentence": {
            "vi": "{name} {moved} (từ hạng {r0} đến hạng {r1}) từ {y0:year} đến {y1:year}: {own}; {others}.",
            "en": "{name} {moved} (from rank {r0} to {r1}) between {y0:year} and {y1:year}: {own}; {others}.",
        },
    }
)


def _places(n: int, lang: str) -> str:
    n = abs(int(n))
    return SAY("place" if n == 1 else "places", lang, n=n)


def _direction(value: int, up: str, down: str, none: str, lang: str, **values) -> str:
    key = up if value > 0 else down if value < 0 else none
    return SAY(key, lang, places=_places(value, lang), **values)


def rank_change_sentence(row: pd.Series, lang: str = "vi", geography: str = "63") -> str:
    """One sentence from a row of :func:`rank_change.rank_change_decomposition` (province named in ``geography``)."""
    lang = check_lang(lang)
    own_effect = _direction(int(row["own_part"]), "own_up", "own_down", "own_none", lang)
    others_effect = _direction(int(row["others_part"]), "others_up", "others_down", "others_none", lang)
    return SAY(
        "sentence",
        lang,
        name=_name(row["province_code"], lang, geography),
        moved=_direction(int(row["rank_change"]), "went_up", "went_down", "kept", lang),
        r0=int(row["rank_from"]),
        r1=int(row["rank_to"]),
        y0=int(row["year_from"]),
        y1=int(row["year_to"]),
        own=SAY("own", lang, points=row["score_change"], effect=own_effect),
        others=SAY("others", lang, effect=others_effect),
    )


TABLE_TEXT = Messages.from_languages(
    {
        "vi": {
            "item": "Nội dung",
            "value": "Giá trị",
            "rank": "Thứ hạng {year} (khoảng tin cậy 95%)",
            "rank_sim": "Khoảng tin cậy đồng thời 95% (xem cả nước một lúc)",
            "se": "Sai số chuẩn",
            "p_group": "Xác suất thật sự thuộc nhóm: {name}",
            "distinct": "Nhóm theo điểm phân biệt được với nhóm kế bên (khoảng thứ hạng nằm trọn trong nhóm)?",
            "yes": "có",
            "no": "không (khoảng thứ hạng vượt ranh giới nhóm)",
            "change": "Thay đổi thứ hạng {y0}→{y1}",
            "noise": "Dải thay đổi do nhiễu (không có thay đổi thật), 95%",
            "beyond": "Vượt nhiễu? (tính cả thay đổi của các tỉnh khác)",
            "beyond_yes": "có",
            "beyond_no": "không",
            "why": "Vì sao",
            "frontier": "Khoảng cách tới tỉnh dẫn đầu ({name})",
            "next": "Khoảng cách tới ngưỡng nhóm {group}",
            "top": "đã ở nhóm cao nhất",
            "points": "điểm",
            "not_assessable": "không đánh giá được (không có sai số chuẩn công bố)",
        },
        "en": {
            "item": "Item",
            "value": "Value",
            "rank": "Rank {year} (95% confidence interval)",
            "rank_sim": "Simultaneous 95% interval (reading all provinces at once)",
            "se": "Standard error",
            "p_group": "Probability of truly being in group: {name}",
            "distinct": "Group by score distinguishable from the neighbouring one (rank interval inside the group)?",
            "yes": "yes",
            "no": "no (the rank interval crosses a group boundary)",
            "change": "Rank change {y0}→{y1}",
            "noise": "Range of changes from noise alone (no true change), 95%",
            "beyond": "Beyond noise? (counting the other provinces' moves too)",
            "beyond_yes": "yes",
            "beyond_no": "no",
            "why": "Why",
            "frontier": "Gap to the best province ({name})",
            "next": "Gap to the cut-off of group {group}",
            "top": "already in the highest group",
            "points": "points",
            "not_assessable": "not assessable (no published SE)",
        },
    }
)


def rank_summary_table(
    intervals: pd.DataFrame,
    province: int,
    lang: str = "vi",
    noise: pd.DataFrame | None = None,
    decomposition: pd.DataFrame | None = None,
    frontier_row: pd.Series | None = None,
    geography: str = "63",
) -> pd.DataFrame:
    """Two-column table for one province: rank with 95% CI, group probabilities, rank change against noise,
    the decomposition sentence and the gaps to the frontier and to the next group. Borrowed SEs are labelled."""
    lang = check_lang(lang)
    t = TABLE_TEXT.bind(lang)
    row = intervals[intervals["province_code"] == province]
    if row.empty:
        raise ValueError(f"Province {province} has no score in this cross-section.")
    r = row.iloc[0]
    year, n = int(r["year"]), int(r["n_ranked"])
    items: list[tuple[str, str]] = []
    rank_text = rank_interval(r["rank"], r["rank_low"], r["rank_high"], lang) + f" / {n}"
    if r["se_basis"] != rank_uncertainty.PUBLISHED:
        rank_text += f" — {se_basis_text(r['se_basis'], lang)}"
    items.append((t("rank", year=year) + f", {dimension_label(r['dimension'], lang)}", rank_text))
    if pd.notna(r["rank_low"]):
        items.append((t["rank_sim"], f"{int(r['rank_low_simultaneous'])}–{int(r['rank_high_simultaneous'])}"))
        items.append((t["se"], f"{_num(r['se'], lang, 3)} {t['points']}"))
        for g in ("highest", "high_average", "low_average", "lowest"):
            items.append((t("p_group", name=label(g, lang)), percent(r[f"p_{g}"], lang)))
        items.append((t["distinct"], t["yes"] if bool(r["group_distinguishable"]) else t["no"]))
    if noise is not None and decomposition is not None:
        nz = noise[noise["province_code"] == province]
        dc = decomposition[decomposition["province_code"] == province]
        if not dc.empty:
            d = dc.iloc[0]
            items.append(
                (
                    t("change", y0=int(d["year_from"]), y1=int(d["year_to"])),
                    f"{int(d['rank_change']):+d} ({int(d['rank_from'])} → {int(d['rank_to'])})",
                )
            )
            if not nz.empty and pd.notna(nz.iloc[0]["noise_low"]):
                z = nz.iloc[0]
                items.append((t["noise"], f"{int(z['noise_low']):+d} … {int(z['noise_high']):+d}"))
                items.append((t["beyond"], t["beyond_yes"] if bool(z["beyond_noise"]) else t["beyond_no"]))
            elif not nz.empty:
                items.append((t["beyond"], t["not_assessable"]))
            items.append((t["why"], rank_change_sentence(d, lang, geography)))
    if frontier_row is not None:
        f = frontier_row
        items.append(
            (
                t("frontier", name=_name(f["frontier_province_code"], lang, geography)),
                f"{_num(f['gap_to_frontier'], lang)} {t['points']}",
            )
        )
        if pd.notna(f["next_cutoff"]):
            items.append(
                (
                    t("next", group=label(f["next_group"], lang)),
                    f"{_num(f['gap_to_next_group'], lang)} {t['points']}",
                )
            )
        else:
            items.append((t("next", group=label("highest", lang)), t["top"]))
    return pd.DataFrame(items, columns=[t["item"], t["value"]])


PEER_TEXT = Messages.from_languages(
    {
        "vi": {
            "set": "Nhóm so sánh",
            "income": "GRDP/người tương tự",
            "profile": "Cơ cấu D1–D8 tương tự",
            "province": "Tỉnh",
            "grdp": "GRDP/người (triệu đồng, giá 2010)",
            "grdp_year": "Năm GRDP",
            "distance": "Khoảng cách",
            "score": "Điểm",
            "rank": "Thứ hạng",
            "group": "Nhóm",
            "sentence": (
                "So với {n} tỉnh có {what}, {name} {above} {gap} điểm so với trung vị của các tỉnh đó "
                "(đứng thứ {place}/{total} trong nhóm so sánh)."
            ),
            "above": "cao hơn",
            "below": "thấp hơn",
            "what_income": "GRDP/người gần nhất",
            "what_profile": "cơ cấu điểm D1–D8 gần nhất",
            "none": "Không có số liệu để chọn nhóm so sánh.",
        },
        "en": {
            "set": "Peer set",
            "income": "Similar GRDP per head",
            "profile": "Similar D1–D8 profile",
            "province": "Province",
            "grdp": "GRDP per head (million VND, 2010 prices)",
            "grdp_year": "GRDP year",
            "distance": "Distance",
            "score": "Score",
            "rank": "Rank",
            "group": "Group",
            "sentence": (
                "Against the {n} provinces with the {what}, {name} is {gap} points {above} their median "
                "({place} of {total} in the set)."
            ),
            "above": "above",
            "below": "below",
            "what_income": "closest GRDP per head",
            "what_profile": "closest D1–D8 profile",
            "none": "No data to choose peers.",
        },
    }
)


def peer_table(peer_rows: pd.DataFrame, lang: str = "vi", geography: str = "63") -> pd.DataFrame:
    """Reader's table of :func:`peers.income_peers` / :func:`peers.profile_peers` rows (selected province first)."""
    lang = check_lang(lang)
    t = PEER_TEXT.bind(lang)
    out = pd.DataFrame(
        {
            t["set"]: peer_rows["peer_set"].map({"income": t["income"], "profile": t["profile"]}),
            t["province"]: [
                _name(c, lang, geography) + (" ◀" if s else "")
                for c, s in zip(peer_rows["province_code"], peer_rows["selected"])
            ],
            t["grdp"]: [_num(v, lang, 1) if pd.notna(v) else "–" for v in peer_rows["grdp_per_head"]],
            t["grdp_year"]: [str(int(v)) if pd.notna(v) else "–" for v in peer_rows["context_year"]],
            t["distance"]: [_num(v, lang, 3) for v in peer_rows["distance"]],
            t["score"]: [_num(v, lang) for v in peer_rows["score"]],
            t["rank"]: [f"{int(r)}/{int(n)}" for r, n in zip(peer_rows["rank"], peer_rows["n_ranked"])],
            t["group"]: [label(g, lang) for g in peer_rows["group"]],
        }
    )
    return out


def peer_sentence(comparison: pd.Series, province: int, lang: str = "vi", geography: str = "63") -> str:
    """One sentence from :func:`peers.compare_with_peers`."""
    lang = check_lang(lang)
    t = PEER_TEXT.bind(lang)
    if not comparison["n_peers"]:
        return t["none"]
    return t(
        "sentence",
        n=int(comparison["n_peers"]),
        what=t[f"what_{comparison['peer_set']}"],
        name=_name(province, lang, geography),
        above=t["above"] if comparison["gap"] >= 0 else t["below"],
        gap=_num(abs(comparison["gap"]), lang),
        place=int(comparison["place_in_set"]),
        total=int(comparison["n_in_set"]),
    )


FRONTIER_TEXT = Messages.from_languages(
    {
        "vi": {
            "dimension": "Chỉ số",
            "score": "Điểm",
            "group": "Nhóm",
            "best": "Điểm cao nhất (tỉnh)",
            "gap_best": "Cách tỉnh dẫn đầu (điểm)",
            "dtf": "Điểm khoảng cách tới biên (0–100)",
            "next": "Nhóm kế trên: ngưỡng",
            "gap_next": "Cách ngưỡng nhóm kế trên (điểm)",
            "gap_se": "Cách ngưỡng, tính bằng sai số chuẩn",
            "top": "đã ở nhóm cao nhất",
            "no_se": "không có sai số chuẩn công bố",
        },
        "en": {
            "dimension": "Dimension",
            "score": "Score",
            "group": "Group",
            "best": "Best score (province)",
            "gap_best": "Gap to the best (points)",
            "dtf": "Distance-to-frontier score (0–100)",
            "next": "Next group up: cut-off",
            "gap_next": "Gap to the next group (points)",
            "gap_se": "Gap in standard errors",
            "top": "already in the highest group",
            "no_se": "no published SE",
        },
    }
)


def frontier_table(rows: pd.DataFrame, lang: str = "vi", geography: str = "63") -> pd.DataFrame:
    """Reader's table of :func:`frontier.distance_to_frontier`."""
    lang = check_lang(lang)
    t = FRONTIER_TEXT.bind(lang)
    has_next = rows["next_cutoff"].notna()
    return pd.DataFrame(
        {
            t["dimension"]: [dimension_label(d, lang) for d in rows["dimension"]],
            t["score"]: [_num(v, lang) for v in rows["score"]],
            t["group"]: [label(g, lang) for g in rows["group"]],
            t["best"]: [
                f"{_num(v, lang)} ({_name(c, lang, geography)})"
                for v, c in zip(rows["frontier"], rows["frontier_province_code"])
            ],
            t["gap_best"]: [_num(v, lang) for v in rows["gap_to_frontier"]],
            t["dtf"]: [_num(v, lang, 0) for v in rows["dtf_score"]],
            t["next"]: [
                f"{label(g, lang)}: {_num(c, lang)}" if h else t["top"]
                for g, c, h in zip(rows["next_group"], rows["next_cutoff"], has_next)
            ],
            t["gap_next"]: [_gap(v, lang) if h else "–" for v, h in zip(rows["gap_to_next_group"], has_next)],
            t["gap_se"]: [
                (_num(v, lang, 1) if pd.notna(v) else t["no_se"]) if h else "–"
                for v, h in zip(rows["gap_in_se"], has_next)
            ],
        }
    )


HISTORY_TEXT = Messages.from_languages(
    {
        "vi": {
            "year": "Năm",
            "dimension": "Chỉ số",
            "score": "Điểm",
            "rank": "Thứ hạng (khoảng tin cậy 95%)",
            "group": "Nhóm theo điểm",
            "p": "Xác suất thật sự thuộc nhóm đó",
            "distinct": "Phân biệt với nhóm kế bên?",
            "se": "Nguồn sai số chuẩn",
            "yes": "có",
            "no": "không",
            "published": "PAPI công bố",
        },
        "en": {
            "year": "Year",
            "dimension": "Dimension",
            "score": "Score",
            "rank": "Rank (95% confidence interval)",
            "group": "Group by score",
            "p": "Probability of truly being in that group",
            "distinct": "Distinguishable from the neighbouring group?",
            "se": "Source of the SE",
            "yes": "yes",
            "no": "no",
            "published": "published by PAPI",
        },
    }
)


def rank_history_table(rows: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Reader's table of :func:`rank_uncertainty.province_rank_table`: every year and dimension with SEs."""
    lang = check_lang(lang)
    t = HISTORY_TEXT.bind(lang)
    return pd.DataFrame(
        {
            t["year"]: rows["year"].astype(int).astype(str),
            t["dimension"]: [dimension_label(d, lang) for d in rows["dimension"]],
            t["score"]: [_num(v, lang) for v in rows["score"]],
            t["rank"]: [
                rank_interval(r, lo, hi, lang) + f" / {int(n)}"
                for r, lo, hi, n in zip(rows["rank"], rows["rank_low"], rows["rank_high"], rows["n_ranked"])
            ],
            t["group"]: [label(g, lang) for g in rows["group"]],
            t["p"]: [percent(v, lang) if pd.notna(v) else "–" for v in rows["p_published_group"]],
            t["distinct"]: [("–" if pd.isna(v) else t["yes"] if v else t["no"]) for v in rows["group_distinguishable"]],
            t["se"]: [
                t["published"] if b == rank_uncertainty.PUBLISHED else se_basis_text(b, lang) for b in rows["se_basis"]
            ],
        }
    )


SE_BASIS = Messages(
    {
        "borrowed": {"vi": "sai số chuẩn mượn từ năm {year} (giả định)", "en": "SE borrowed from {year} (assumption)"},
        "published": {"vi": "PAPI công bố", "en": "published"},
        "recast": {
            "vi": "ước tính: tính lại từ sai số chuẩn đã công bố của các tỉnh cũ",
            "en": "estimate: recast from the former provinces' published SEs",
        },
        "none": {"vi": "không có sai số chuẩn công bố", "en": "no published SE"},
    }
)


def se_basis_text(basis: str, lang: str = "vi") -> str:
    """``se_basis`` of :mod:`rank_uncertainty` in the reader's language ("SE borrowed from 2023 (assumption)")."""
    lang = check_lang(lang)
    year = rank_uncertainty.borrowed_year(basis)
    if year is not None:
        return SE_BASIS("borrowed", lang, year=str(year))
    key = {rank_uncertainty.PUBLISHED: "published", RECAST_SE: "recast", rank_uncertainty.NO_SE: "none"}.get(basis)
    return SE_BASIS(key, lang) if key else str(basis)


#: ``se_basis`` of a merged province on the 34-province geography (its SE combines its former provinces' SEs)
RECAST_SE = rank_uncertainty.RECAST_SE


def label_recast_se(rows: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (rank tables with ``year``, ``dimension``, ``province_code``, ``se_basis``) with the SE of every
    recast score (34-province panel, ``score_source == "recast"``) labelled as this project's estimate."""
    if "score_source" not in panel.columns or "se_basis" not in rows.columns:
        return rows
    recast = panel.loc[panel["score_source"] == "recast", ["year", "dimension", "province_code"]]
    keys = set(map(tuple, recast.to_numpy().tolist()))
    out = rows.copy()
    hit = [
        (int(y), d, int(c)) in keys and b == rank_uncertainty.PUBLISHED
        for y, d, c, b in zip(out["year"], out["dimension"], out["province_code"], out["se_basis"])
    ]
    out.loc[hit, "se_basis"] = RECAST_SE
    return out
