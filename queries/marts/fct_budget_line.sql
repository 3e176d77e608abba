-- grain: one row per budget line × year × measure × source that has a figure; sum rows are
-- computed from the facts below them (fct_budget_line_contribution), leaves as loaded.
select
  province_code,
  line_code,
  year,
  measure_code,
  source_code,
  is_state_budget,
  sum(amount_trieu_dong) as amount_trieu_dong,
  count(*) as fact_count
from fct_budget_line_contribution
group by province_code, line_code, year, measure_code, source_code, is_state_budget
