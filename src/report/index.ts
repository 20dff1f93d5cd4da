// The experiments report: numbers from the stores' rows (small cells hidden), pages, and exports.
export type { ArmLine, DayPoint, ExperimentReport, GoalTable, Shown, StoreData } from './model'
export { experimentReport, liftOf } from './model'
export type { ExportedTotal } from './read'
export { exportTotals, readReports, readStore, reportIds } from './read'
export { experimentCsv } from './export'
export { ExperimentPage, ListPage, LOGIN_PATH, LoginPage, REPORT_CSS, REPORT_PATH } from './page'
