-- grain: one row per sum-row fact (as loaded) whose children also have figures for the same key
-- and differ from it (± 0,001 triệu): the figure the forms use is the children's sum
-- severity: error
-- vi: Dòng tổng của bảng chi KH&CN khác tổng các dòng con
-- en: A sum row of the S&T spending table differs from the sum of its rows
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
  f.file_id,
  f.sheet,
  f.cell,
  f.line_code || ' ' || f.measure_code || ' ' || f.year || ' ' || f.source_code || ': '
    || cast(f.amount_trieu_dong as varchar) || ' ≠ ' || cast(c.children_trieu_dong as varchar) as detail
from stg_fact_budget_line as f
join stg_budget_line as l on l.line_code = f.line_code and l.is_sum
join children as c
  on c.line_code = f.line_code
  and c.province_code = f.province_code
  and c.year = f.year
  and c.measure_code = f.measure_code
  and c.source_code = f.source_code
where abs(f.amount_trieu_dong - c.children_trieu_dong) > 0.001
