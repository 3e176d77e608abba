-- phuluc warehouse, schema version 1.
-- Money: DECIMAL(18,6) triệu đồng. Every fact row carries its province and its lineage
-- (load run, file identity, file hash, sheet, cell) and a fact_id unique across fact tables,
-- which is what a filled cell's lineage points at.
-- Keys of the fact and entity tables are not declared as indexes: DuckDB maintains an index on
-- every insert and commit, which cost more than the rest of a national load. Uniqueness is
-- enforced by the loader (a key given twice is refused, naming both places) and checked by the
-- data tests that run inside every load (queries/data-tests/).

create sequence fact_id_seq start 1;

create table province (
  province_code varchar primary key,
  name          varchar not null
);

create table office (
  office_code varchar primary key,  -- the inbox subfolder, or 'chung'
  name        varchar
);

create table funding_source (
  source_code     varchar primary key, -- NSTW, NSDP, NGOAI_NSNN, NUOC_NGOAI
  name_vi         varchar not null,
  is_state_budget boolean not null,
  sort            integer not null
);

create table task_level (
  level_code       varchar primary key, -- QUOC_GIA, BO, TINH, CO_SO, HUYEN, KHAC
  name_vi          varchar not null,
  budget_line_code varchar not null,    -- the 09–13 row it sums into
  sort             integer not null
);

create table task_field (
  field_code varchar primary key,
  name_vi    varchar not null,
  sort       integer not null
);

create table indicator_area (
  area_code varchar primary key, -- TDC, SHTT, ATBX, THANH_TRA, DN_KHCN, THU_SU_NGHIEP, KHAC
  name_vi   varchar not null,
  sort      integer not null
);

create table measure (
  measure_code varchar primary key,
  name_vi      varchar not null
);

-- The 01–18 hierarchy of S&T spending (spec/appendices.md).
create table budget_line (
  line_code   varchar primary key,  -- '01' … '18'
  parent_code varchar,              -- null for 01
  label_vi    varchar not null,     -- as printed, with its numbering: '2.3 Chi thực hiện nhiệm vụ KH&CN'
  depth       integer not null,
  is_sum      boolean not null,     -- '=' rows: the sum of their children
  sort        integer not null
);

-- One row per load run that changed the warehouse (a rejected run leaves no trace here: the
-- warehouse is exactly as before; the run log beside the database file records those).
create table load_run (
  run_id      integer primary key,  -- also the generation number
  started_at  timestamptz not null,
  finished_at timestamptz not null,
  command     varchar not null,     -- 'etl load', 'etl watch', 'etl forget'
  outcome     varchar not null,     -- 'loaded', 'partial', 'unchanged'
  files_read  integer not null,
  files_loaded integer not null,
  rows_loaded bigint not null,
  checksum    varchar not null,     -- of the warehouse's facts after this run
  report_json json not null         -- the run's report: problems, changes old → new
);

-- One row per file identity currently contributing to the warehouse.
create table source_file (
  file_id     varchar primary key,  -- path inside the inbox, '/'-separated
  office_code varchar not null,
  sha256      varchar not null,
  size_bytes  bigint not null,
  mtime       timestamptz,
  run_id      integer not null,     -- the run that loaded this version
  sheets_json json not null
);

create table task (
  province_code varchar not null,
  task_code     varchar not null,
  title         varchar not null,
  level_code    varchar not null,
  field_code    varchar not null,
  lead_org      varchar not null,
  pi_name       varchar,
  pi_gender     varchar,            -- 'NAM' | 'NU' | null
  decision      varchar,
  start_month   date not null,      -- first day of the month
  end_month     date not null,
  status_code   varchar not null,
  accepted_on   date,
  unsplit       boolean not null,   -- register gave a Tổng and no parts
  sort          integer not null,   -- order in its sheet
  run_id        integer not null,
  file_id       varchar not null,
  file_hash     varchar not null,
  sheet         varchar not null,
  cell          varchar not null    -- the task-code cell
);

-- Approved funding of a task (Kind 1): source 'TONG' always, the parts as given.
create table fact_task_approved (
  fact_id       bigint not null default nextval('fact_id_seq'),
  province_code varchar not null,
  task_code     varchar not null,
  source_code   varchar not null,   -- NSTW, NSDP, NGOAI_NSNN, NUOC_NGOAI, TONG
  amount        decimal(18,6) not null,
  run_id        integer not null,
  file_id       varchar not null,
  file_hash     varchar not null,
  sheet         varchar not null,
  cell          varchar not null
);

-- Grain: one row per task × year × measure × source (Kind 2).
create table fact_task_funding (
  fact_id       bigint not null default nextval('fact_id_seq'),
  province_code varchar not null,
  task_code     varchar not null,
  year          integer not null,
  measure_code  varchar not null,
  source_code   varchar not null,
  amount        decimal(18,6) not null,
  run_id        integer not null,
  file_id       varchar not null,
  file_hash     varchar not null,
  sheet         varchar not null,
  cell          varchar not null
);

-- Grain: one row per budget line × year × measure × source (Kind 3).
create table fact_budget_line (
  fact_id       bigint not null default nextval('fact_id_seq'),
  province_code varchar not null,
  line_code     varchar not null,
  year          integer not null,
  measure_code  varchar not null,
  source_code   varchar not null,
  amount        decimal(18,6) not null,
  run_id        integer not null,
  file_id       varchar not null,
  file_hash     varchar not null,
  sheet         varchar not null,
  cell          varchar not null
);

create table indicator (
  province_code varchar not null,
  indicator_key varchar not null,   -- Mã chỉ tiêu, or '<area>|<normalised label>'
  indicator_code varchar,
  area_code     varchar not null,
  label         varchar not null,
  unit          varchar not null,
  parent_key    varchar,
  sort          integer not null,
  run_id        integer not null,
  file_id       varchar not null,
  file_hash     varchar not null,
  sheet         varchar not null,
  cell          varchar not null
);

-- Grain: one row per indicator × year × measure (Kind 4). Value in the indicator's own unit.
create table fact_indicator (
  fact_id       bigint not null default nextval('fact_id_seq'),
  province_code varchar not null,
  indicator_key varchar not null,
  year          integer not null,
  measure_code  varchar not null,
  value         decimal(18,6) not null,
  run_id        integer not null,
  file_id       varchar not null,
  file_hash     varchar not null,
  sheet         varchar not null,
  cell          varchar not null
);

insert into funding_source values
  ('NSTW', 'Ngân sách trung ương', true, 1),
  ('NSDP', 'Ngân sách địa phương', true, 2),
  ('NGOAI_NSNN', 'Ngoài ngân sách nhà nước', false, 3),
  ('NUOC_NGOAI', 'Nước ngoài', false, 4);

insert into task_level values
  ('QUOC_GIA', 'Nhiệm vụ cấp quốc gia', '09', 1),
  ('BO', 'Nhiệm vụ cấp bộ', '10', 2),
  ('TINH', 'Nhiệm vụ cấp tỉnh', '11', 3),
  ('CO_SO', 'Nhiệm vụ cấp cơ sở', '12', 4),
  ('HUYEN', 'Nhiệm vụ cấp huyện', '12', 5),
  ('KHAC', 'Nhiệm vụ khác', '13', 6);

insert into task_field values
  ('TU_NHIEN', 'Khoa học tự nhiên', 1),
  ('KY_THUAT', 'Khoa học kỹ thuật và công nghệ', 2),
  ('Y_DUOC', 'Khoa học y, dược', 3),
  ('NONG_NGHIEP', 'Khoa học nông nghiệp', 4),
  ('XA_HOI', 'Khoa học xã hội', 5),
  ('NHAN_VAN', 'Khoa học nhân văn', 6),
  ('CHUA_PHAN_LOAI', 'Chưa phân loại', 7);

insert into indicator_area values
  ('TDC', 'Tiêu chuẩn – Đo lường – Chất lượng', 1),
  ('SHTT', 'Sở hữu trí tuệ', 2),
  ('ATBX', 'An toàn bức xạ', 3),
  ('THANH_TRA', 'Thanh tra, kiểm tra', 4),
  ('DN_KHCN', 'Doanh nghiệp KH&CN', 5),
  ('THU_SU_NGHIEP', 'Thu sự nghiệp', 6),
  ('KHAC', 'Khác', 7);

insert into measure values
  ('du_toan', 'Dự toán'),
  ('thuc_hien_6t', 'Thực hiện 6 tháng'),
  ('thuc_hien', 'Thực hiện'),
  ('uoc_thuc_hien', 'Ước thực hiện'),
  ('de_xuat', 'Đề xuất / dự kiến'),
  ('ke_hoach', 'Kế hoạch (chỉ tiêu)'),
  ('luy_ke', 'Lũy kế đến hết năm');

insert into budget_line values
  ('01', null, 'TỔNG CHI', 0, true, 1),
  ('02', '01', '1. Chi đầu tư phát triển KH&CN', 1, false, 2),
  ('03', '01', '2. Chi sự nghiệp KH&CN', 1, true, 3),
  ('04', '03', '2.1 Chi quỹ lương và hoạt động bộ máy', 2, true, 4),
  ('05', '04', '- Tiền lương, phụ cấp, các khoản đóng góp theo lương', 3, false, 5),
  ('06', '04', '- Chi hoạt động bộ máy', 3, false, 6),
  ('07', '03', '2.2 Chi hoạt động thường xuyên theo chức năng', 2, false, 7),
  ('08', '03', '2.3 Chi thực hiện nhiệm vụ KH&CN', 2, true, 8),
  ('09', '08', '- Nhiệm vụ cấp quốc gia', 3, false, 9),
  ('10', '08', '- Nhiệm vụ cấp bộ', 3, false, 10),
  ('11', '08', '- Nhiệm vụ cấp tỉnh', 3, false, 11),
  ('12', '08', '- Nhiệm vụ cấp cơ sở', 3, false, 12),
  ('13', '08', '- Nhiệm vụ khác', 3, false, 13),
  ('14', '03', '2.4 Chi tăng cường năng lực nghiên cứu', 2, false, 14),
  ('15', '03', '2.5 Chi sửa chữa, chống xuống cấp', 2, false, 15),
  ('16', '03', '2.6 Chi hợp tác quốc tế', 2, false, 16),
  ('17', '03', '2.7 Chi sự nghiệp KH&CN khác', 2, false, 17),
  ('18', '01', '3. Chi khác cho KH&CN', 1, false, 18);
