// Package sqlscan reads query results for both backends of storage. It
// holds no SQL: each backend keeps its own.
package sqlscan

import "database/sql"

// All reads every row of rows into a T, through the fields of that T that
// fields names in the columns' order, and closes rows. A write reads its
// rows with it before the statements that act on them, which cannot run
// on the transaction while rows are open.
func All[T any](rows *sql.Rows, fields func(*T) []any) ([]T, error) {
	defer rows.Close()
	var all []T
	for rows.Next() {
		var v T
		if err := rows.Scan(fields(&v)...); err != nil {
			return nil, err
		}
		all = append(all, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return all, nil
}
