package app

import (
	"context"
	"time"
)

// retentionBatch is how many tickets one write erases, so the retention
// job never holds the writer for long.
const retentionBatch = 200

// retain runs EraseExpired every interval until ctx ends.
func (s *Server) retain(ctx context.Context, every time.Duration) {
	if s.cfg.RetentionDays == 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.EraseExpired(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("retention", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// EraseExpired erases the personal data of attendees whose salon ended
// more than --retention-days ago, by the store's clock, in batches until
// none is left, and logs how many (counts only). With 0 days it erases
// nothing.
func (s *Server) EraseExpired(ctx context.Context) (int, error) {
	if s.cfg.RetentionDays == 0 {
		return 0, nil
	}
	before := s.db.Now().AddDate(0, 0, -s.cfg.RetentionDays)
	total := 0
	for ctx.Err() == nil {
		n, err := s.db.EraseEnded(ctx, before, retentionBatch)
		total += n
		if err != nil {
			return total, err
		}
		if n < retentionBatch {
			break
		}
	}
	if total > 0 {
		s.log.Info("retention: personal data erased", "tickets", total, "days", s.cfg.RetentionDays)
	}
	return total, ctx.Err()
}
