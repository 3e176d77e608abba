-- grain: one row per line of the 01–18 hierarchy. PL02: the S&T estimate of the plan year N
-- by source; the year-N figure is the du_toan, else the de_xuat, of year N.
with params as (
  select cast($year as integer) as year_n
),

by_source as (
  select
    b.line_code,
    sum(b.amount_trieu_dong) filter (where b.source_code = 'NSTW') as nstw,
    sum(b.amount_trieu_dong) filter (where b.source_code = 'NSDP') as nsdp,
    sum(b.amount_trieu_dong) filter (where b.source_code = 'NGOAI_NSNN') as ngoai_nsnn,
    sum(b.amount_trieu_dong) filter (where b.source_code = 'NUOC_NGOAI') as nuoc_ngoai,
    sum(b.amount_trieu_dong) as total
  from fct_budget_line as b
  cross join params as p
  where b.year = p.year_n
    and b.measure_code = 'du_toan_or_de_xuat'
  group by b.line_code
)

select
  l.line_code as row_key,
  l.row_kind as kind,
  l.line_sort as sort,
  l.parent_line_code as parent_key,
  l.line_label_vi as label,
  l.line_code as ma_so,
  s.total as c1,
  s.nstw as c2,
  s.nsdp as c3,
  s.ngoai_nsnn as c4,
  s.nuoc_ngoai as c5,
  cast(null as varchar) as note
from dim_budget_line as l
left join by_source as s on s.line_code = l.line_code
order by l.line_sort
