-- grain: one row per PL05 cell: row × column. The rows: the level block ("level_total", then
-- "level:<LEVEL>" for all six levels, zero rows kept) and the field block ("field_total", then
-- "field:<FIELD>"), counting the tasks whose period overlaps N-1. Column 1 is a count of its own,
-- not the sum of columns 3–6. A level has its row only when it existed in N-1
-- (task_level.valid_from/valid_to: cấp huyện ended on 30 June 2025, so the forms of plan years
-- from 2027 have no cấp huyện row). A task is not a fact: a count lists the register fact of each
-- task it counts (its approved Tổng, which points at the register row).
with params as (
  select cast($year as integer) - 1 as year_n1
),

-- the tasks counted, each dim_task row once
active as (
  select t.*, p.year_n1, row_number() over () as task_ord
  from dim_task as t
  cross join params as p
  where t.start_year <= p.year_n1
    and t.end_year >= p.year_n1
),

-- each counted task once per column it counts in
counted as (
  select
    province_code,
    task_code,
    level_code,
    field_code,
    task_ord,
    unnest(
      ['c1']
      || case when is_pi_woman then ['c2'] else [] end
      || case when start_year = year_n1 then ['c3'] else [] end
      || case when start_year < year_n1 then ['c4'] else [] end
      || case when accepted_year = year_n1 then ['c5'] else [] end
      || case when is_applied then ['c6'] else [] end
    ) as column_id
  from active
),

register_facts as (
  select province_code, task_code, fact_id
  from stg_fact_task_approved
  where source_code = 'TONG'
),

task_cells as (
  select c.level_code, c.field_code, c.task_ord, c.column_id, f.fact_id
  from counted as c
  left join register_facts as f on f.province_code = c.province_code and f.task_code = c.task_code
),

cells as (
  select
    row_key,
    column_id,
    count(distinct task_ord) as n,
    list(distinct fact_id) filter (where fact_id is not null) as fact_ids
  from (
    select 'level_total' as row_key, column_id, task_ord, fact_id from task_cells
    union all
    select 'level:' || level_code, column_id, task_ord, fact_id from task_cells
    union all
    select 'field_total', column_id, task_ord, fact_id from task_cells
    union all
    select 'field:' || field_code, column_id, task_ord, fact_id from task_cells
  )
  group by row_key, column_id
),

form_rows as (
  select 'level_total' as row_key, 'total' as kind, 0 as ord, cast(null as varchar) as parent_key, '1.1 Theo cấp quản lý' as label

  union all

  select 'level:' || l.level_code, 'data', l.level_sort, 'level_total', l.level_name_vi
  from stg_task_level as l
  cross join params as p
  where (l.level_valid_from is null or l.level_valid_from <= make_date(p.year_n1, 12, 31))
    and (l.level_valid_to is null or l.level_valid_to >= make_date(p.year_n1, 1, 1))

  union all

  select 'field_total', 'total', 100, null, '1.2 Theo lĩnh vực'

  union all

  select 'field:' || f.field_code, 'data', 100 + f.field_sort, 'field_total', f.field_name_vi
  from stg_task_field as f
),

numbered_rows as (
  select *, cast(row_number() over (order by ord) as integer) as sort
  from form_rows
),

columns (column_id) as (
  values ('c1'), ('c2'), ('c3'), ('c4'), ('c5'), ('c6')
)

select
  r.row_key, r.kind, r.sort, r.parent_key, k.column_id, cast(coalesce(c.n, 0) as integer) as amount,
  cast(null as varchar) as text, c.fact_ids
from numbered_rows as r
cross join columns as k
left join cells as c on c.row_key = r.row_key and c.column_id = k.column_id

union all

select r.row_key, r.kind, r.sort, r.parent_key, 'label', null, r.label, null
from numbered_rows as r
