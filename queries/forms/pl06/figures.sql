-- grain: one row per PL06 cell: row × column. The rows: a heading per area that has indicators
-- ("area:<AREA>", no figures: units differ) and one row per indicator with a figure in N-2 … N, or
-- with such an "of which" indicator under it ("ind:<key>"). Values in each indicator's own unit;
-- column 4 (the ratio 3/2) is computed from the definition, figures and facts.
with params as (
  select cast($year as integer) as year_n
),

figures as (
  select
    f.province_code,
    f.indicator_key,
    sum(f.value) filter (where f.year = p.year_n - 2 and f.measure_code = 'thuc_hien') as c1,
    sum(f.value) filter (where f.year = p.year_n - 1 and f.measure_code = 'ke_hoach') as c2,
    sum(f.value) filter (where f.year = p.year_n - 1 and f.measure_code = 'thuc_hien_6t') as c3,
    sum(f.value) filter (where f.year = p.year_n and f.measure_code = 'ke_hoach') as c5
  from fct_indicator as f
  cross join params as p
  where f.year between p.year_n - 2 and p.year_n
  group by f.province_code, f.indicator_key
),

shown as (
  select d.*
  from dim_indicator as d
  where exists (
    select 1
    from figures as g
    where g.province_code = d.province_code
      and (g.indicator_key = d.indicator_key or g.indicator_key in (
        select c.indicator_key from dim_indicator as c
        where c.province_code = d.province_code and c.parent_indicator_key = d.indicator_key
      ))
  )
),

areas as (
  select
    area_code,
    any_value(area_name_vi) as area_name_vi,
    any_value(area_sort) as area_sort,
    row_number() over (order by any_value(area_sort), area_code) as area_ord
  from shown
  group by area_code
),

ordered as (
  select
    s.*,
    a.area_ord,
    dense_rank() over (partition by s.area_code order by s.root_sheet_sort, s.root_indicator_key) as root_ord,
    case when s.is_of_which
      then row_number() over (partition by s.area_code, s.root_indicator_key, s.is_of_which order by s.sheet_sort, s.indicator_key)
      else 0
    end as child_ord
  from shown as s
  join areas as a on a.area_code = s.area_code
),

form_rows as (
  select
    'area:' || area_code as row_key,
    'heading' as kind,
    area_ord,
    0 as root_ord,
    0 as child_ord,
    cast(null as varchar) as parent_key,
    ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'][area_ord] as stt,
    area_name_vi as label,
    cast(null as varchar) as unit,
    cast(null as decimal(18,6)) as c1,
    cast(null as decimal(18,6)) as c2,
    cast(null as decimal(18,6)) as c3,
    cast(null as decimal(18,6)) as c5
  from areas

  union all

  select
    'ind:' || o.indicator_key,
    'data',
    o.area_ord,
    o.root_ord,
    o.child_ord,
    case when o.is_of_which then 'ind:' || o.parent_indicator_key else 'area:' || o.area_code end,
    case when o.is_of_which
      then cast(o.root_ord as varchar) || '.' || cast(o.child_ord as varchar)
      else cast(o.root_ord as varchar)
    end,
    o.indicator_label,
    o.unit,
    g.c1,
    g.c2,
    g.c3,
    g.c5
  from ordered as o
  left join figures as g on g.province_code = o.province_code and g.indicator_key = o.indicator_key
),

numbered_rows as (
  select
    row_key,
    kind,
    cast(row_number() over (order by area_ord, root_ord, child_ord) as integer) as sort,
    parent_key,
    stt, label, unit, c1, c2, c3, c5
  from form_rows
),

columns_measures (column_id, year_offset, measure_code) as (
  values
    ('c1', 2, 'thuc_hien'),
    ('c2', 1, 'ke_hoach'),
    ('c3', 1, 'thuc_hien_6t'),
    ('c5', 0, 'ke_hoach')
),

facts as (
  select 'ind:' || f.indicator_key as row_key, m.column_id, list(distinct f.fact_id) as fact_ids
  from fct_indicator as f
  cross join params as p
  join columns_measures as m on f.year = p.year_n - m.year_offset and f.measure_code = m.measure_code
  group by f.indicator_key, m.column_id
),

cell_amounts as (
  select row_key, column_id, amount
  from (select row_key, c1, c2, c3, c5 from numbered_rows)
  unpivot include nulls (amount for column_id in (c1, c2, c3, c5))
),

cell_texts as (
  select row_key, column_id, text
  from (select row_key, stt, label, unit from numbered_rows)
  unpivot (text for column_id in (stt, label, unit))
)

select
  r.row_key, r.kind, r.sort, r.parent_key, g.column_id, g.amount, cast(null as varchar) as text, f.fact_ids
from numbered_rows as r
join cell_amounts as g on g.row_key = r.row_key
left join facts as f on f.row_key = g.row_key and f.column_id = g.column_id

union all

select r.row_key, r.kind, r.sort, r.parent_key, t.column_id, null, t.text, null
from numbered_rows as r
join cell_texts as t on t.row_key = r.row_key
