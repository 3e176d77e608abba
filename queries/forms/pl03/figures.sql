-- grain: one row per PL03 cell: form row × column. The rows: each task with a non-zero year-N
-- figure ("task:<code>"), its level group ("group:I:<LEVEL>"), its group ("group:I" carried over:
-- started before N; "group:II" new: starting in N) and the closing total; group rows sum their
-- children and list their tasks' facts. Column 1 is the register's approved Tổng (its facts its
-- own); columns 4, 8 and 11 list their parts' facts (computed sums, from the definition).
with params as (
  select cast($year as integer) as year_n
),

funding as (
  select f.*, p.year_n
  from fct_task_funding_by_year as f
  cross join params as p
  where f.year between p.year_n - 2 and p.year_n
),

per_task as (
  select
    province_code,
    task_code,
    sum(amount_trieu_dong) filter (where year = year_n - 1 and measure_code = 'du_toan' and is_state_budget) as c5,
    sum(amount_trieu_dong) filter (where year = year_n - 1 and measure_code = 'uoc_thuc_hien' and is_state_budget) as c6,
    sum(amount_trieu_dong) filter (where year = year_n - 1 and measure_code = 'uoc_thuc_hien' and not is_state_budget) as c7,
    sum(amount_trieu_dong) filter (where year = year_n and measure_code = 'du_toan_or_de_xuat' and is_state_budget) as c12,
    sum(amount_trieu_dong) filter (where year = year_n and measure_code = 'du_toan_or_de_xuat' and not is_state_budget) as c13,
    coalesce(bool_or(year = year_n and measure_code = 'du_toan_or_de_xuat' and amount_trieu_dong <> 0), false) as has_year_n_figure
  from funding
  group by province_code, task_code
),

-- col 8–10, per source: luy_ke N-1 where given, else luy_ke N-2 + uoc_thuc_hien N-1
cumulative_by_source as (
  select
    province_code,
    task_code,
    source_code,
    is_state_budget,
    case
      when count(*) filter (where year = year_n - 1 and measure_code = 'luy_ke') > 0
        then sum(amount_trieu_dong) filter (where year = year_n - 1 and measure_code = 'luy_ke')
      else coalesce(sum(amount_trieu_dong) filter (where year = year_n - 2 and measure_code = 'luy_ke'), 0)
        + coalesce(sum(amount_trieu_dong) filter (where year = year_n - 1 and measure_code = 'uoc_thuc_hien'), 0)
    end as amount_trieu_dong
  from funding
  where (year = year_n - 1 and measure_code in ('luy_ke', 'uoc_thuc_hien'))
     or (year = year_n - 2 and measure_code = 'luy_ke')
  group by province_code, task_code, source_code, is_state_budget
),

cumulative as (
  select
    province_code,
    task_code,
    sum(amount_trieu_dong) filter (where is_state_budget) as c9,
    sum(amount_trieu_dong) filter (where not is_state_budget) as c10
  from cumulative_by_source
  group by province_code, task_code
),

tasks as (
  select
    t.province_code,
    t.task_code,
    t.title,
    t.lead_org,
    t.period_label,
    t.decision,
    t.level_code,
    t.level_name_vi,
    t.level_sort,
    case when t.start_year < p.year_n then 'I' else 'II' end as group_code,
    row_number() over (
      partition by case when t.start_year < p.year_n then 'I' else 'II' end, t.level_code
      order by t.file_id, t.sheet_sort, t.task_code
    ) as task_ord,
    t.approved_total_trieu_dong as c1,
    t.approved_nsnn_trieu_dong as c2,
    t.approved_other_trieu_dong as c3,
    case when f.c6 is not null or f.c7 is not null then coalesce(f.c6, 0) + coalesce(f.c7, 0) end as c4,
    f.c5,
    f.c6,
    f.c7,
    case when c.c9 is not null or c.c10 is not null then coalesce(c.c9, 0) + coalesce(c.c10, 0) end as c8,
    c.c9,
    c.c10,
    case when f.c12 is not null or f.c13 is not null then coalesce(f.c12, 0) + coalesce(f.c13, 0) end as c11,
    f.c12,
    f.c13
  from dim_task as t
  cross join params as p
  join per_task as f on f.province_code = t.province_code and f.task_code = t.task_code
  left join cumulative as c on c.province_code = t.province_code and c.task_code = t.task_code
  where f.has_year_n_figure
),

level_groups as (
  select
    group_code,
    level_code,
    any_value(level_name_vi) as level_name_vi,
    any_value(level_sort) as level_sort,
    sum(c1) as c1, sum(c2) as c2, sum(c3) as c3, sum(c4) as c4, sum(c5) as c5, sum(c6) as c6, sum(c7) as c7,
    sum(c8) as c8, sum(c9) as c9, sum(c10) as c10, sum(c11) as c11, sum(c12) as c12, sum(c13) as c13
  from tasks
  group by group_code, level_code
),

numbered_level_groups as (
  select *, row_number() over (partition by group_code order by level_sort) as level_ord
  from level_groups
),

groups as (
  select
    group_code,
    sum(c1) as c1, sum(c2) as c2, sum(c3) as c3, sum(c4) as c4, sum(c5) as c5, sum(c6) as c6, sum(c7) as c7,
    sum(c8) as c8, sum(c9) as c9, sum(c10) as c10, sum(c11) as c11, sum(c12) as c12, sum(c13) as c13
  from tasks
  group by group_code
),

form_rows as (
  select
    'group:' || group_code as row_key,
    'group' as kind,
    cast(null as varchar) as parent_key,
    case group_code when 'I' then 1 else 2 end as group_ord,
    0 as level_ord,
    0 as task_ord,
    group_code as stt,
    case group_code when 'I' then 'Nhiệm vụ chuyển tiếp' else 'Nhiệm vụ mở mới' end as title,
    cast(null as varchar) as lead_org,
    cast(null as varchar) as period,
    cast(null as varchar) as decision,
    c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13
  from groups

  union all

  select
    'group:' || group_code || ':' || level_code,
    'group',
    'group:' || group_code,
    case group_code when 'I' then 1 else 2 end,
    level_ord,
    0,
    cast(level_ord as varchar),
    level_name_vi,
    null, null, null,
    c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13
  from numbered_level_groups

  union all

  select
    'task:' || t.task_code,
    'data',
    'group:' || t.group_code || ':' || t.level_code,
    case t.group_code when 'I' then 1 else 2 end,
    g.level_ord,
    t.task_ord,
    cast(g.level_ord as varchar) || '.' || cast(t.task_ord as varchar),
    t.title,
    t.lead_org,
    t.period_label,
    t.decision,
    t.c1, t.c2, t.c3, t.c4, t.c5, t.c6, t.c7, t.c8, t.c9, t.c10, t.c11, t.c12, t.c13
  from tasks as t
  join numbered_level_groups as g on g.group_code = t.group_code and g.level_code = t.level_code

  union all

  select
    'total',
    'total',
    null,
    3,
    0,
    0,
    null,
    'Tổng cộng',
    null, null, null,
    sum(c1), sum(c2), sum(c3), sum(c4), sum(c5), sum(c6), sum(c7),
    sum(c8), sum(c9), sum(c10), sum(c11), sum(c12), sum(c13)
  from tasks
),

approved_columns (column_id, source_code) as (
  values
    ('c1', 'TONG'),
    ('c2', 'NSTW'), ('c2', 'NSDP'),
    ('c3', 'NGOAI_NSNN'), ('c3', 'NUOC_NGOAI')
),

approved_facts as (
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

cumulative_facts as (
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

yearly_facts as (
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

-- the facts of each task cell
parts as (
  select * from approved_facts
  union all
  select * from cumulative_facts
  union all
  select * from yearly_facts where column_id is not null
),

numbered_rows as (
  select
    row_key,
    kind,
    cast(row_number() over (order by group_ord, level_ord, task_ord) as integer) as sort,
    parent_key,
    stt, title, lead_org, period, decision,
    c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13
  from form_rows
),

task_cells as (
  select t.group_code, t.level_code, t.task_code, c.column_id, c.fact_id
  from parts as c
  join tasks as t on t.province_code = c.province_code and t.task_code = c.task_code
),

facts as (
  select row_key, column_id, list(distinct fact_id) as fact_ids
  from (
    select 'task:' || task_code as row_key, column_id, fact_id from task_cells
    union all
    select 'group:' || group_code || ':' || level_code, column_id, fact_id from task_cells
    union all
    select 'group:' || group_code, column_id, fact_id from task_cells
    union all
    select 'total', column_id, fact_id from task_cells
  )
  group by row_key, column_id
),

cell_amounts as (
  select row_key, column_id, amount
  from (select row_key, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13 from numbered_rows)
  unpivot include nulls (amount for column_id in (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13))
),

cell_texts as (
  select row_key, column_id, text
  from (select row_key, stt, title, lead_org, period, decision from numbered_rows)
  unpivot (text for column_id in (stt, title, lead_org, period, decision))
)

select
  r.row_key, r.kind, r.sort, r.parent_key, g.column_id, g.amount, cast(null as varchar) as text,
  case when g.column_id = 'c1' then coalesce(f.fact_ids, []) else f.fact_ids end as fact_ids
from numbered_rows as r
join cell_amounts as g on g.row_key = r.row_key
left join facts as f on f.row_key = g.row_key and f.column_id = g.column_id

union all

select r.row_key, r.kind, r.sort, r.parent_key, t.column_id, null, t.text, null
from numbered_rows as r
join cell_texts as t on t.row_key = r.row_key
