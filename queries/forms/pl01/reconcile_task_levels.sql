-- grain: one row per budget line 09–13: the N-1 du_toan (state budget) of the tasks of the
-- levels that sum into it, from the task funding sheets — what PL01 column 3 should show.
with params as (
  select cast($year as integer) as year_n
),

task_figures as (
  select
    f.budget_line_code,
    sum(f.amount_trieu_dong) as amount_trieu_dong
  from fct_task_funding_by_year as f
  cross join params as p
  where f.year = p.year_n - 1
    and f.measure_code = 'du_toan'
    and f.is_state_budget
  group by f.budget_line_code
)

select
  l.budget_line_code as row_key,
  coalesce(sum(t.amount_trieu_dong), 0) as expected_trieu_dong
from (select distinct budget_line_code from stg_task_level) as l
left join task_figures as t on t.budget_line_code = l.budget_line_code
group by l.budget_line_code
