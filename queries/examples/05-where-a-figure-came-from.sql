-- Lineage: the cells behind the assigned budget of a year (row 03, sự nghiệp KH&CN, and below).
select f.line_code, b.label_vi, f.source_code, f.amount, f.file_id, f.sheet, f.cell, r.finished_at as nap_luc
  from fact_budget_line f
  join budget_line b using (line_code)
  join load_run r using (run_id)
 where f.year = $year::integer and f.measure_code = 'du_toan'
 order by b.sort;
