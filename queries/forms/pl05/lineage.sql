-- grain: one row per PL05 cell × fact behind it. A task is not a fact: a count lists the
-- register fact of each task it counts (its approved Tổng, which points at the register row).
with params as (
  select cast($year as integer) - 1 as year_n1
),

counted as (
  select
    t.level_code,
    t.field_code,
    a.fact_id,
    ['c1']
      || case when t.is_pi_woman then ['c2'] else [] end
      || case when t.start_year = p.year_n1 then ['c3'] else [] end
      || case when t.start_year < p.year_n1 then ['c4'] else [] end
      || case when t.accepted_year = p.year_n1 then ['c5'] else [] end
      || case when t.is_applied then ['c6'] else [] end as column_ids
  from dim_task as t
  cross join params as p
  join stg_fact_task_approved as a
    on a.province_code = t.province_code and a.task_code = t.task_code and a.source_code = 'TONG'
  where t.start_year <= p.year_n1
    and t.end_year >= p.year_n1
),

cells as (
  select level_code, field_code, unnest(column_ids) as column_id, fact_id
  from counted
)

select distinct row_key, column_id, fact_id
from (
  select 'level_total' as row_key, column_id, fact_id from cells
  union all
  select 'level:' || level_code, column_id, fact_id from cells
  union all
  select 'field_total', column_id, fact_id from cells
  union all
  select 'field:' || field_code, column_id, fact_id from cells
)
