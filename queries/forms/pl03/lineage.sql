-- grain: one row per PL03 cell × fact behind it. Task rows list their own facts; level groups,
-- groups and the total list the facts of their tasks.
with params as (
  select cast($year as integer) as year_n
),

funding as (
  select f.*, p.year_n
  from fct_task_funding_by_year as f
  cross join params as p
  where f.year between p.year_n - 2 and p.year_n
),

selected as (
  select
    t.province_code,
    t.task_code,
    t.level_code,
    case when t.start_year < min(f.year_n) then 'I' else 'II' end as group_code
  from dim_task as t
  join funding as f on f.province_code = t.province_code and f.task_code = t.task_code
  where f.year = f.year_n and f.measure_code = 'du_toan_or_de_xuat' and f.amount_trieu_dong <> 0
  group by t.province_code, t.task_code, t.level_code, t.start_year
),

approved_columns (column_id, source_code) as (
  values
    ('c1', 'TONG'),
    ('c2', 'NSTW'), ('c2', 'NSDP'),
    ('c3', 'NGOAI_NSNN'), ('c3', 'NUOC_NGOAI')
),

approved as (
  select a.province_code, a.task_code, m.column_id, a.fact_id
  from stg_fact_task_approved as a
  join approved_columns as m on m.source_code = a.source_code
),

-- col 8–10 per source: luy_ke N-1 where given, else luy_ke N-2 and uoc_thuc_hien N-1
cumulative_given as (
  select distinct province_code, task_code, source_code
  from funding
  where year = year_n - 1 and measure_code = 'luy_ke'
),

cumulative as (
  select
    f.province_code,
    f.task_code,
    case when f.is_state_budget then 'c9' else 'c10' end as column_id,
    f.fact_id
  from funding as f
  left join cumulative_given as g
    on g.province_code = f.province_code and g.task_code = f.task_code and g.source_code = f.source_code
  where (g.task_code is not null and f.year = f.year_n - 1 and f.measure_code = 'luy_ke')
     or (
       g.task_code is null
       and ((f.year = f.year_n - 2 and f.measure_code = 'luy_ke') or (f.year = f.year_n - 1 and f.measure_code = 'uoc_thuc_hien'))
     )
),

yearly as (
  select
    province_code,
    task_code,
    case
      when year = year_n - 1 and measure_code = 'du_toan' and is_state_budget then 'c5'
      when year = year_n - 1 and measure_code = 'uoc_thuc_hien' and is_state_budget then 'c6'
      when year = year_n - 1 and measure_code = 'uoc_thuc_hien' then 'c7'
      when year = year_n and measure_code = 'du_toan_or_de_xuat' and is_state_budget then 'c12'
      when year = year_n and measure_code = 'du_toan_or_de_xuat' then 'c13'
    end as column_id,
    fact_id
  from funding
),

parts as (
  select * from approved
  union all
  select * from cumulative
  union all
  select * from yearly where column_id is not null
),

-- the totals of each column group list the facts of their parts
with_totals as (
  select * from parts
  union all
  select
    province_code,
    task_code,
    case
      when column_id in ('c6', 'c7') then 'c4'
      when column_id in ('c9', 'c10') then 'c8'
      when column_id in ('c12', 'c13') then 'c11'
    end,
    fact_id
  from parts
  where column_id in ('c6', 'c7', 'c9', 'c10', 'c12', 'c13')
),

task_cells as (
  select s.group_code, s.level_code, s.task_code, c.column_id, c.fact_id
  from with_totals as c
  join selected as s on s.province_code = c.province_code and s.task_code = c.task_code
)

select distinct row_key, column_id, fact_id
from (
  select 'task:' || task_code as row_key, column_id, fact_id from task_cells
  union all
  select 'group:' || group_code || ':' || level_code, column_id, fact_id from task_cells
  union all
  select 'group:' || group_code, column_id, fact_id from task_cells
  union all
  select 'total', column_id, fact_id from task_cells
)
