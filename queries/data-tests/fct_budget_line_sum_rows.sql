-- grain: one row per sum line × key of fct_budget_line that differs from the sum of its children
-- where any child has a figure (± 0,001 triệu); holds by construction, guards the mart
-- severity: error
-- vi: fct_budget_line: dòng tổng khác tổng các dòng con
-- en: fct_budget_line: a sum row differs from the sum of its children
with children as (
  select
    l.parent_line_code as line_code,
    c.province_code,
    c.year,
    c.measure_code,
    c.source_code,
    sum(c.amount_trieu_dong) as children_trieu_dong
  from fct_budget_line as c
  join stg_budget_line as l on l.line_code = c.line_code
  where l.parent_line_code is not null
  group by l.parent_line_code, c.province_code, c.year, c.measure_code, c.source_code
)

select
  c.line_code || ' ' || c.measure_code || ' ' || c.year || ' ' || c.source_code || ': '
    || coalesce(cast(f.amount_trieu_dong as varchar), '(none)') || ' ≠ ' || cast(c.children_trieu_dong as varchar) as detail
from children as c
left join fct_budget_line as f
  on f.line_code = c.line_code
  and f.province_code = c.province_code
  and f.year = c.year
  and f.measure_code = c.measure_code
  and f.source_code = c.source_code
where f.amount_trieu_dong is null
   or abs(f.amount_trieu_dong - c.children_trieu_dong) > 0.001
