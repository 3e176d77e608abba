-- grain: one row per budget line 09–13: the year-N state-budget figure (du_toan, else de_xuat)
-- of the tasks of the levels that sum into it — what PL02 NSTW + NSĐP should show.
with params as (
  select cast($year as integer) as year_n
),

task_figures as (
  select
    f.budget_line_code,
    sum(f.amount_trieu_dong) as amount_trieu_dong
  from fct_task_funding_by_year as f
  cross join params as p
  where f.year = p.year_n
    and f.measure_code = 'du_toan_or_de_xuat'
    and f.is_state_budget
  group by f.budget_line_code
)

select
  l.budget_line_code as row_key,
  coalesce(sum(t.amount_trieu_dong), 0) as expected_trieu_dong
from (select distinct budget_line_code from stg_task_level) as l
left join task_figures as t on t.budget_line_code = l.budget_line_code
group by l.budget_line_code
