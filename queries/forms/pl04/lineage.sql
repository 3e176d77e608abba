-- grain: one row per PL04 cell × fact behind it (the register's approved-funding facts; the
-- total row lists those of every task)
with params as (
  select cast($year as integer) as year_n
),

tasks as (
  select t.province_code, t.task_code
  from dim_task as t
  cross join params as p
  where t.is_national_or_ministry
    and t.start_year <= p.year_n
    and t.end_year >= p.year_n - 1
),

approved_columns (column_id, source_code) as (
  values ('c1', 'TONG'), ('c2', 'NSTW'), ('c3', 'NSDP'), ('c4', 'NGOAI_NSNN'), ('c4', 'NUOC_NGOAI')
),

task_cells as (
  select t.task_code, m.column_id, a.fact_id
  from tasks as t
  join stg_fact_task_approved as a on a.province_code = t.province_code and a.task_code = t.task_code
  join approved_columns as m on m.source_code = a.source_code
)

select distinct row_key, column_id, fact_id
from (
  select 'task:' || task_code as row_key, column_id, fact_id from task_cells
  union all
  select 'total', column_id, fact_id from task_cells
)
