-- Tasks whose period ends in the given year, with their lead organisation and status.
select task_code, title, lead_org, strftime(end_month, '%m/%Y') as ket_thuc, status_code
  from task
 where year(end_month) = $year::integer
 order by end_month, task_code;
