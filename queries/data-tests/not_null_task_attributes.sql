-- grain: one row per task missing a value the appendices need (level's budget line, field, approved Tổng)
-- severity: error
-- vi: Nhiệm vụ thiếu thông tin cần cho phụ lục (dòng ngân sách của cấp, lĩnh vực hoặc Tổng kinh phí phê duyệt)
-- en: Task lacks a value the appendices need (its level's budget line, its field or its approved total)
select
  task_code,
  file_id,
  sheet,
  cell,
  concat_ws(', ',
    case when budget_line_code is null then 'budget_line_code' end,
    case when field_name_vi is null then 'field' end,
    case when approved_total_trieu_dong is null then 'approved TONG' end
  ) || ' (' || task_code || ')' as detail
from dim_task
where budget_line_code is null
   or field_name_vi is null
   or approved_total_trieu_dong is null
