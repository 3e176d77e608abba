-- grain: one row per national or ministry-level task carried out in the province at any time in
-- N-1 or N ("task:<code>"), and the total row. A task whose register gives only a Tổng
-- (unsplit) shows it in column 1 with blank parts.
with params as (
  select cast($year as integer) as year_n
),

tasks as (
  select
    t.*,
    row_number() over (order by t.level_sort, t.start_month, t.task_code) as task_ord
  from dim_task as t
  cross join params as p
  where t.is_national_or_ministry
    and t.start_year <= p.year_n
    and t.end_year >= p.year_n - 1
),

task_rows as (
  select
    'task:' || task_code as row_key,
    'data' as kind,
    task_ord as ord,
    cast(task_ord as varchar) as stt,
    title,
    lead_org,
    period_label as period,
    decision,
    approved_total_trieu_dong as c1,
    approved_nstw_trieu_dong as c2,
    approved_nsdp_trieu_dong as c3,
    approved_other_trieu_dong as c4
  from tasks
)

select
  row_key,
  kind,
  cast(ord as integer) as sort,
  cast(null as varchar) as parent_key,
  stt,
  title,
  lead_org,
  period,
  decision,
  c1, c2, c3, c4,
  cast(null as varchar) as note
from (
  select * from task_rows
  union all
  select
    'total', 'total', (select count(*) from tasks) + 1, null, 'Tổng cộng', null, null, null,
    sum(c1), sum(c2), sum(c3), sum(c4)
  from task_rows
)
order by sort
