-- grain: one row per task that ends before it starts
-- severity: error
-- vi: Nhiệm vụ có thời gian kết thúc trước thời gian bắt đầu
-- en: Task ends before it starts
select
  task_code,
  file_id,
  sheet,
  cell,
  task_code || ': ' || strftime(start_month, '%m/%Y') || ' - ' || strftime(end_month, '%m/%Y') as detail
from stg_task
where end_month < start_month
