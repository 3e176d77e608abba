-- grain: one row per PL04 cell: national or ministry-level task carried out in the province at any
-- time in N-1 or N ("task:<code>"), and the total row, × column. A task whose register gives only a
-- Tổng (unsplit) shows it in column 1 with blank parts. The facts are the register's approved
-- funding (column 1 the Tổng: its own, never its parts'); the total row lists every task's.
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
),

form_rows as (
  select row_key, kind, cast(ord as integer) as sort, cast(null as varchar) as parent_key,
    stt, title, lead_org, period, decision, c1, c2, c3, c4
  from (
    select * from task_rows
    union all
    select
      'total', 'total', (select count(*) from tasks) + 1, null, 'Tổng cộng', null, null, null,
      sum(c1), sum(c2), sum(c3), sum(c4)
    from task_rows
  )
),

approved_columns (column_id, source_code) as (
  values ('c1', 'TONG'), ('c2', 'NSTW'), ('c3', 'NSDP'), ('c4', 'NGOAI_NSNN'), ('c4', 'NUOC_NGOAI')
),

task_facts as (
  select 'task:' || t.task_code as row_key, m.column_id, a.fact_id
  from tasks as t
  join stg_fact_task_approved as a on a.province_code = t.province_code and a.task_code = t.task_code
  join approved_columns as m on m.source_code = a.source_code
),

facts as (
  select row_key, column_id, list(distinct fact_id) as fact_ids
  from (
    select * from task_facts
    union all
    select 'total', column_id, fact_id from task_facts
  )
  group by row_key, column_id
),

cell_amounts as (
  select row_key, column_id, amount
  from (select row_key, c1, c2, c3, c4 from form_rows)
  unpivot include nulls (amount for column_id in (c1, c2, c3, c4))
),

cell_texts as (
  select row_key, column_id, text
  from (select row_key, stt, title, lead_org, period, decision from form_rows)
  unpivot (text for column_id in (stt, title, lead_org, period, decision))
)

select
  r.row_key, r.kind, r.sort, r.parent_key, g.column_id, g.amount, cast(null as varchar) as text,
  case when g.column_id = 'c1' then coalesce(f.fact_ids, []) else f.fact_ids end as fact_ids
from form_rows as r
join cell_amounts as g on g.row_key = r.row_key
left join facts as f on f.row_key = g.row_key and f.column_id = g.column_id

union all

select r.row_key, r.kind, r.sort, r.parent_key, t.column_id, null, t.text, null
from form_rows as r
join cell_texts as t on t.row_key = r.row_key
