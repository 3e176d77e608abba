-- grain: one row per sum-row fact (as loaded) whose children also have figures for the same key
-- and differ from it (± 0,001 triệu): the figure the forms use is the children's sum. Compared
-- within one origin (a merged department's former province): each former province's sheet adds
-- up on its own, while the forms add the former provinces together.
-- severity: error
-- vi: Dòng tổng của bảng chi KH&CN khác tổng các dòng con
-- en: A sum row of the S&T spending table differs from the sum of its rows
with below as (
  select
    line_code,
    province_code,
    origin_unit,
    year,
    measure_code,
    source_code,
    sum(amount_trieu_dong) as children_trieu_dong
  from fct_budget_line_contribution
  where fact_line_code <> line_code
  group by line_code, province_code, origin_unit, year, measure_code, source_code
)

select
  f.file_id,
  f.sheet,
  f.cell,
  f.line_code || ' ' || f.measure_code || ' ' || f.year || ' ' || f.source_code || ': '
    || cast(f.amount_trieu_dong as varchar) || ' ≠ ' || cast(c.children_trieu_dong as varchar) as detail
from stg_fact_budget_line as f
join stg_budget_line as l on l.line_code = f.line_code and l.is_sum
join below as c
  on c.line_code = f.line_code
  and c.province_code = f.province_code
  and c.origin_unit = f.origin_unit
  and c.year = f.year
  and c.measure_code = f.measure_code
  and c.source_code = f.source_code
where abs(f.amount_trieu_dong - c.children_trieu_dong) > 0.001
