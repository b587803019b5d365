"""Words of the plan workbooks: the review workbook of ``papi-analysis read-plan`` and the ``plan-template`` form,
Vietnamese and English."""

from __future__ import annotations

from .messages import Messages

SHEETS = Messages(
    {
        "instructions": {"vi": "Hướng dẫn", "en": "Instructions"},
        "targets": {"vi": "Mục tiêu PAPI", "en": "PAPI targets"},
        "index": {"vi": "PAR INDEX, SIPAS", "en": "PAR INDEX, SIPAS"},
        "not_read": {"vi": "Câu chưa đọc được", "en": "Sentences not read"},
        "lists": {"vi": "Danh mục", "en": "Lists"},
    }
)

#: headers of the columns that guide the user but are not part of the plan schema (the reader ignores them)
GUIDE = Messages(
    {
        "group": {"vi": "Nhóm năm gốc", "en": "Baseline group"},
        "source": {"vi": "Nguồn điểm năm gốc", "en": "Baseline source"},
        "score_90": {"vi": "Điểm đạt được với xác suất 90%", "en": "Score reached with a 90% chance"},
        "score_70": {"vi": "Điểm đạt được với xác suất 70%", "en": "Score reached with a 70% chance"},
        "score_50": {"vi": "Điểm đạt được với xác suất 50%", "en": "Score reached with a 50% chance"},
        "rank_90": {"vi": "Hạng đạt được với xác suất 90%", "en": "Rank reached with a 90% chance"},
        "rank_70": {"vi": "Hạng đạt được với xác suất 70%", "en": "Rank reached with a 70% chance"},
        "rank_50": {"vi": "Hạng đạt được với xác suất 50%", "en": "Rank reached with a 50% chance"},
        "published": {"vi": "PAPI công bố", "en": "published by PAPI"},
        "estimate": {
            "vi": "ước tính (tính lại cho tỉnh sau sáp nhập)",
            "en": "estimate (recast for the merged province)",
        },
        "no_score": {"vi": "không có điểm công bố", "en": "no published score"},
        "where_heading": {"vi": "Vị trí", "en": "Where"},
        "quote_heading": {"vi": "Câu trong văn bản", "en": "Sentence in the document"},
        "reason_heading": {"vi": "Lý do chưa đọc", "en": "Why it was not read"},
    }
)

REVIEW = Messages(
    {
        "title": {
            "vi": "Các mục tiêu đọc tự động từ văn bản {document}",
            "en": "Targets read automatically from {document}",
        },
        "facts": {
            "vi": "Tỉnh, thành phố: {province}. Mã kế hoạch: {plan}. Năm kế hoạch: {year}.",
            "en": "Province: {province}. Plan id: {plan}. Year of the plan: {year}.",
        },
        "counts": {
            "vi": "Đọc được {papi:int} mục tiêu PAPI và {index:int} dòng PAR INDEX, SIPAS; {unread:int} câu có vẻ "
            "là mục tiêu nhưng chưa đọc được (xem trang '{sheet}').",
            "en": "{papi:int} PAPI targets and {index:int} PAR INDEX and SIPAS rows were read; {unread:int} "
            "sentences look like targets but were not read (see the sheet '{sheet}').",
        },
        "step1": {
            "vi": "1. So từng dòng với câu trích dẫn nguyên văn bên cạnh: chỉ số, loại mục tiêu, giá trị, các năm.",
            "en": "1. Check each row against the exact sentence beside it: indicator, kind, value, years.",
        },
        "step2": {
            "vi": "2. Ô tô vàng là giá trị suy ra chứ không đọc thẳng từ câu (ví dụ năm lấy từ đề mục phía trên); "
            "cột 'Cách hiểu' nói vì sao. Độ tin cậy 'thấp' (tô cam) là câu có hai cách hiểu: giữ dòng đúng ý kế "
            "hoạch, xoá dòng kia.",
            "en": "2. Yellow cells were inferred, not read from the sentence itself (a year from the heading above, "
            "for instance); the column 'How it was read' says why. Confidence 'low' (orange) marks a sentence with "
            "two readings: keep the row that says what the plan means and delete the other.",
        },
        "step3": {
            "vi": "3. Xem trang '{sheet}': các câu có vẻ là mục tiêu nhưng chưa đọc được, kèm lý do; thêm dòng bằng "
            "tay nếu cần.",
            "en": "3. Look at the sheet '{sheet}': sentences that look like targets but were not read, with the "
            "reason; add rows by hand where needed.",
        },
        "step4": {
            "vi": '4. Lưu tệp rồi chạy: papi-analysis report --province "{province}" --plan {file}',
            "en": '4. Save the file, then run: papi-analysis report --province "{province}" --plan {file}',
        },
        "index_note": {
            "vi": "Trang '{sheet}' ghi các mục tiêu PAR INDEX, SIPAS theo mẫu data/raw/targets/INDEX_TARGETS.md; "
            "báo cáo mục tiêu PAPI không dùng trang này.",
            "en": "The sheet '{sheet}' holds the PAR INDEX and SIPAS targets in the layout of "
            "data/raw/targets/INDEX_TARGETS.md; the PAPI target report does not use it.",
        },
    }
)

TEMPLATE = Messages(
    {
        "title": {
            "vi": "Mẫu kế hoạch mục tiêu PAPI: {province}, năm {year:year}",
            "en": "PAPI targets form: {province}, {year:year}",
        },
        "baseline": {
            "vi": "Điểm, hạng và nhóm năm gốc ({baseline:year}) là số PAPI công bố mới nhất{estimate}, đã điền sẵn "
            "cho tổng điểm và từng chỉ số nội dung.",
            "en": "Baseline scores, ranks and groups ({baseline:year}) are the latest PAPI published{estimate}, "
            "filled in for the total and each dimension.",
        },
        "estimate": {
            "vi": " (với tỉnh sau sáp nhập: ước tính, tính lại từ các tỉnh cũ)",
            "en": " (for a merged province: an estimate, recast from its former provinces)",
        },
        "step1": {
            "vi": "1. Ở trang '{sheet}', với mỗi chỉ số muốn đặt mục tiêu: chọn 'Loại mục tiêu' và điền 'Giá trị "
            "mục tiêu'. Dòng để trống hai ô này không được tính.",
            "en": "1. On the sheet '{sheet}', for each indicator you set a target for: choose 'Kind of target' and "
            "fill in 'Target value'. Rows where both are empty are not read.",
        },
        "step2": {
            "vi": "2. Muốn đặt thêm mục tiêu cho cùng chỉ số (ví dụ vừa điểm vừa nhóm): dùng các dòng trống bên "
            "dưới, chọn chỉ số trong danh sách.",
            "en": "2. For a second target on the same indicator (a score and a group, say), use the empty rows "
            "below and pick the indicator from the list.",
        },
        "step3": {
            "vi": "3. Giá trị mục tiêu: số điểm (đạt ít nhất, tăng ít nhất), hạng (xếp hạng này trở lên), số bậc, "
            "hoặc tên nhóm chọn trong danh sách (nhóm này trở lên, không nằm trong nhóm).",
            "en": "3. Target value: points (score at least, change at least), a rank (this rank or better), a "
            "number of places, or a group picked from the list (this group or better, not in this group).",
        },
        "step4": {
            "vi": "4. Các cột xác suất 90%, 70%, 50% bên phải là gợi ý của mô hình: điểm và hạng tỉnh đạt được với "
            "xác suất đó năm {year:year} (papi-analysis advise). Mục tiêu cao hơn cột 50% là khó đạt.",
            "en": "4. The 90%, 70% and 50% columns on the right are the model's guide: the score and rank the "
            "province reaches with that chance in {year:year} (papi-analysis advise). A target above the 50% "
            "column is unlikely to be met.",
        },
        "step5": {
            "vi": '5. Lưu tệp rồi chạy: papi-analysis report --province "{province}" --plan {file}',
            "en": '5. Save the file, then run: papi-analysis report --province "{province}" --plan {file}',
        },
        "kinds": {"vi": "Các loại mục tiêu:", "en": "Kinds of target:"},
        "groups": {"vi": "Các nhóm của PAPI (từ cao xuống thấp):", "en": "PAPI's groups (best first):"},
    }
)
