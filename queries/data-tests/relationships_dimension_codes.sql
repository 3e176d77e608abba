-- grain: one row per fact or dimension row naming a code its dimension does not have
-- (a key in no row of its dimension: an anti join; NOT EXISTS was planned as a delim join, dearer)
-- severity: error
-- vi: Mã không có trong danh mục (nguồn, chỉ tiêu đo, dòng ngân sách, cấp, lĩnh vực, lĩnh vực chỉ tiêu, chỉ tiêu)
-- en: A code missing from its dimension (source, measure, budget line, level, field, indicator area, indicator)
select f.file_id, f.sheet, f.cell, 'source ' || f.source_code as detail
from stg_fact_task_funding as f
where f.source_code not in (select source_code from stg_funding_source)

union all
select f.file_id, f.sheet, f.cell, 'measure ' || f.measure_code
from stg_fact_task_funding as f
where f.measure_code not in (select measure_code from stg_measure)

union all
select a.file_id, a.sheet, a.cell, 'approved source ' || a.source_code
from stg_fact_task_approved as a
where a.source_code <> 'TONG' and a.source_code not in (select source_code from stg_funding_source)

union all
select b.file_id, b.sheet, b.cell, 'source ' || b.source_code
from stg_fact_budget_line as b
where b.source_code not in (select source_code from stg_funding_source)

union all
select b.file_id, b.sheet, b.cell, 'measure ' || b.measure_code
from stg_fact_budget_line as b
where b.measure_code not in (select measure_code from stg_measure)

union all
select b.file_id, b.sheet, b.cell, 'budget line ' || b.line_code
from stg_fact_budget_line as b
where b.line_code not in (select line_code from stg_budget_line)

union all
select t.file_id, t.sheet, t.cell, 'level ' || t.level_code
from stg_task as t
where t.level_code not in (select level_code from stg_task_level)

union all
select t.file_id, t.sheet, t.cell, 'field ' || t.field_code
from stg_task as t
where t.field_code not in (select field_code from stg_task_field)

union all
select i.file_id, i.sheet, i.cell, 'indicator area ' || i.area_code
from stg_indicator as i
where i.area_code not in (select area_code from stg_indicator_area)

union all
select i.file_id, i.sheet, i.cell, 'parent indicator ' || i.parent_indicator_key
from stg_indicator as i
anti join stg_indicator as p
  on p.province_code = i.province_code and p.indicator_key = i.parent_indicator_key
where i.parent_indicator_key is not null

union all
select f.file_id, f.sheet, f.cell, 'indicator ' || f.indicator_key
from stg_fact_indicator as f
anti join stg_indicator as i
  on i.province_code = f.province_code and i.indicator_key = f.indicator_key

union all
select f.file_id, f.sheet, f.cell, 'measure ' || f.measure_code
from stg_fact_indicator as f
where f.measure_code not in (select measure_code from stg_measure)
