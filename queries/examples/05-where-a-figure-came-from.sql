-- Lineage: the cells behind the assigned budget of a year (row 03, sự nghiệp KH&CN, and below),
-- with the former province each came from in a merged department (origin_unit, admin_unit).
select f.line_code, b.label_vi, f.source_code, f.amount, u.name as tinh_cu, f.file_id, f.sheet, f.cell, r.finished_at as nap_luc
  from fact_budget_line f
  join budget_line b using (line_code)
  join load_run r using (run_id)
  left join admin_unit u on u.unit_id = f.origin_unit
 where f.year = $year::integer and f.measure_code = 'du_toan'
 order by b.sort, f.origin_unit;
