-- grain: one row per PL05 row: the level block ("level_total", then "level:<LEVEL>" for all six
-- levels, zero rows kept) and the field block ("field_total", then "field:<FIELD>"), counting the
-- tasks whose period overlaps N-1. Column 1 is a count of its own, not the sum of columns 3–6.
-- A level has its row only when it existed in N-1 (task_level.valid_from/valid_to: cấp huyện ended
-- on 30 June 2025, so the forms of plan years from 2027 have no cấp huyện row).
with params as (
  select cast($year as integer) - 1 as year_n1
),

counted as (
  select
    t.level_code,
    t.field_code,
    1 as c1,
    case when t.is_pi_woman then 1 else 0 end as c2,
    case when t.start_year = p.year_n1 then 1 else 0 end as c3,
    case when t.start_year < p.year_n1 then 1 else 0 end as c4,
    case when t.accepted_year = p.year_n1 then 1 else 0 end as c5,
    case when t.is_applied then 1 else 0 end as c6
  from dim_task as t
  cross join params as p
  where t.start_year <= p.year_n1
    and t.end_year >= p.year_n1
),

totals as (
  select sum(c1) as c1, sum(c2) as c2, sum(c3) as c3, sum(c4) as c4, sum(c5) as c5, sum(c6) as c6
  from counted
),

by_level as (
  select level_code, sum(c1) as c1, sum(c2) as c2, sum(c3) as c3, sum(c4) as c4, sum(c5) as c5, sum(c6) as c6
  from counted
  group by level_code
),

by_field as (
  select field_code, sum(c1) as c1, sum(c2) as c2, sum(c3) as c3, sum(c4) as c4, sum(c5) as c5, sum(c6) as c6
  from counted
  group by field_code
),

form_rows as (
  select 'level_total' as row_key, 'total' as kind, 0 as ord, cast(null as varchar) as parent_key,
    '1.1 Theo cấp quản lý' as label, c1, c2, c3, c4, c5, c6
  from totals

  union all

  select 'level:' || l.level_code, 'data', l.level_sort, 'level_total', l.level_name_vi,
    b.c1, b.c2, b.c3, b.c4, b.c5, b.c6
  from stg_task_level as l
  cross join params as p
  left join by_level as b on b.level_code = l.level_code
  where (l.level_valid_from is null or l.level_valid_from <= make_date(p.year_n1, 12, 31))
    and (l.level_valid_to is null or l.level_valid_to >= make_date(p.year_n1, 1, 1))

  union all

  select 'field_total', 'total', 100, null, '1.2 Theo lĩnh vực', c1, c2, c3, c4, c5, c6
  from totals

  union all

  select 'field:' || f.field_code, 'data', 100 + f.field_sort, 'field_total', f.field_name_vi,
    b.c1, b.c2, b.c3, b.c4, b.c5, b.c6
  from stg_task_field as f
  left join by_field as b on b.field_code = f.field_code
)

select
  row_key,
  kind,
  cast(row_number() over (order by ord) as integer) as sort,
  parent_key,
  label,
  cast(coalesce(c1, 0) as integer) as c1,
  cast(coalesce(c2, 0) as integer) as c2,
  cast(coalesce(c3, 0) as integer) as c3,
  cast(coalesce(c4, 0) as integer) as c4,
  cast(coalesce(c5, 0) as integer) as c5,
  cast(coalesce(c6, 0) as integer) as c6
from form_rows
order by sort
