package playground

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"learn/learner"
)

const (
	// transcriptFlushDelay is how long the background writer waits after
	// an exchange is queued before it writes, so that the exchanges that
	// arrive meanwhile share one transaction.
	transcriptFlushDelay = 20 * time.Millisecond
	// maxQueuedExchanges bounds the exchanges waiting to be written, for
	// all learners together. A request that fills the queue writes it
	// before the request returns.
	maxQueuedExchanges = 2048
)

// transcriptQueue wraps a Store so that AddExchange only queues the
// exchange in memory, and a background goroutine writes the queue in one
// transaction per flush. Every other method that reads or deletes a
// transcript first writes or drops the queued exchanges it concerns, so
// callers see the same transcript as with the bare store:
//
//   - Exchanges writes the learner's queued exchanges before it reads,
//     so GET /transcript always includes the request before it.
//   - ClearTranscript, DeletePlaygroundData and PurgeIdleSandboxes drop
//     the queued exchanges of the learners they delete, so a later write
//     cannot bring a deleted transcript back.
//
// Close writes what is queued, so a clean shutdown loses nothing. A crash
// loses the exchanges queued in the last transcriptFlushDelay and the
// write then in progress, at most maxQueuedExchanges. A failed write is
// logged, and its exchanges are dropped.
type transcriptQueue struct {
	Store
	// batches is the store's TranscriptBatchStore, or nil when it has
	// none.
	batches TranscriptBatchStore
	logger  *slog.Logger

	// writeMu serializes every write and deletion of transcripts. It keeps
	// each learner's exchanges in the order they were queued, and while a
	// reader holds it, no exchange queued earlier is still in flight.
	writeMu sync.Mutex

	mu      sync.Mutex // guards the fields below
	delay   time.Duration
	pending map[learner.ID]*ExchangeBatch
	queued  int
	closed  bool

	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

// newTranscriptQueue wraps store and starts the goroutine that writes
// queued exchanges delay after the first of them arrives. It writes them
// through batches when that is not nil, and through store otherwise.
func newTranscriptQueue(store Store, batches TranscriptBatchStore, logger *slog.Logger, delay time.Duration) *transcriptQueue {
	q := &transcriptQueue{
		Store:   store,
		batches: batches,
		logger:  logger,
		delay:   delay,
		pending: make(map[learner.ID]*ExchangeBatch),
		wake:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	go q.run()
	return q
}

// AddExchange queues exchange. Of a learner's queued exchanges only the
// newest keep are held, because the store would delete the older ones at
// once. After Close it writes the exchange before returning.
func (q *transcriptQueue) AddExchange(ctx context.Context, id learner.ID, exchange Exchange, keep int) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		q.writeMu.Lock()
		defer q.writeMu.Unlock()
		return q.Store.AddExchange(ctx, id, exchange, keep)
	}

	batch, ok := q.pending[id]
	if !ok {
		batch = &ExchangeBatch{Learner: id}
		q.pending[id] = batch
	}
	batch.Keep = keep
	batch.Exchanges = append(batch.Exchanges, exchange)
	q.queued++
	if excess := len(batch.Exchanges) - keep; excess > 0 {
		batch.Exchanges = append(batch.Exchanges[:0], batch.Exchanges[excess:]...)
		q.queued -= excess
	}
	full := q.queued >= maxQueuedExchanges
	q.mu.Unlock()

	if full {
		return q.flushAll(ctx)
	}
	select {
	case q.wake <- struct{}{}:
	default:
		// A flush is already due.
	}
	return nil
}

// Exchanges writes the learner's queued exchanges and then reads the
// learner's transcript.
func (q *transcriptQueue) Exchanges(ctx context.Context, id learner.ID) ([]Exchange, error) {
	q.writeMu.Lock()
	batch := q.take(id)
	var err error
	if batch != nil {
		err = q.write(ctx, []ExchangeBatch{*batch})
	}
	q.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	return q.Store.Exchanges(ctx, id)
}

// ClearTranscript drops the learner's queued exchanges and deletes the
// stored ones.
func (q *transcriptQueue) ClearTranscript(ctx context.Context, id learner.ID) error {
	q.writeMu.Lock()
	defer q.writeMu.Unlock()
	q.take(id)
	return q.Store.ClearTranscript(ctx, id)
}

// DeletePlaygroundData drops the learner's queued exchanges and deletes
// all of the learner's playground data.
func (q *transcriptQueue) DeletePlaygroundData(ctx context.Context, id learner.ID) error {
	q.writeMu.Lock()
	defer q.writeMu.Unlock()
	q.take(id)
	return q.Store.DeletePlaygroundData(ctx, id)
}

// PurgeIdleSandboxes deletes the idle sandboxes and drops the queued
// exchanges of their learners.
func (q *transcriptQueue) PurgeIdleSandboxes(ctx context.Context, lastUsedBefore time.Time) ([]learner.ID, error) {
	q.writeMu.Lock()
	defer q.writeMu.Unlock()
	ids, err := q.Store.PurgeIdleSandboxes(ctx, lastUsedBefore)
	for _, id := range ids {
		q.take(id)
	}
	return ids, err
}

// CreateSandbox creates the learner's sandbox and drops the queued
// exchanges of the learners it evicts, so that no row of an evicted
// sandbox is written after the eviction.
func (q *transcriptQueue) CreateSandbox(ctx context.Context, id learner.ID, now time.Time, maxSandboxes int) ([]learner.ID, error) {
	q.writeMu.Lock()
	defer q.writeMu.Unlock()
	evicted, err := q.Store.CreateSandbox(ctx, id, now, maxSandboxes)
	for _, old := range evicted {
		q.take(old)
	}
	return evicted, err
}

// Close stops the background writer and writes every queued exchange.
// Exchanges added after Close are written at once.
func (q *transcriptQueue) Close(ctx context.Context) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	q.closed = true
	q.mu.Unlock()

	close(q.stop)
	<-q.done
	return q.flushAll(ctx)
}

// run writes the queue q.delay after each wake-up until Close.
func (q *transcriptQueue) run() {
	defer close(q.done)
	for {
		select {
		case <-q.stop:
			return
		case <-q.wake:
		}

		q.mu.Lock()
		delay := q.delay
		q.mu.Unlock()
		timer := time.NewTimer(delay)
		select {
		case <-q.stop:
			timer.Stop()
			return
		case <-timer.C:
		}
		// The requests that queued these exchanges have finished, so the
		// write must not depend on their contexts.
		if count, err := q.flush(context.Background()); err != nil {
			q.logger.Error("write queued transcript exchanges", "err", err, "dropped", count)
		}
	}
}

// flushAll writes every queued exchange.
func (q *transcriptQueue) flushAll(ctx context.Context) error {
	_, err := q.flush(ctx)
	return err
}

// flush writes every queued exchange and returns how many it wrote, or
// failed to write.
func (q *transcriptQueue) flush(ctx context.Context) (int, error) {
	q.writeMu.Lock()
	defer q.writeMu.Unlock()

	q.mu.Lock()
	batches := make([]ExchangeBatch, 0, len(q.pending))
	for _, batch := range q.pending {
		batches = append(batches, *batch)
	}
	count := q.queued
	clear(q.pending)
	q.queued = 0
	q.mu.Unlock()

	if len(batches) == 0 {
		return 0, nil
	}
	return count, q.write(ctx, batches)
}

// take removes the learner's queued exchanges from the queue and returns
// them, or nil when none are queued.
func (q *transcriptQueue) take(id learner.ID) *ExchangeBatch {
	q.mu.Lock()
	defer q.mu.Unlock()
	batch, ok := q.pending[id]
	if !ok {
		return nil
	}
	delete(q.pending, id)
	q.queued -= len(batch.Exchanges)
	return batch
}

// write stores batches in one transaction when the store supports it,
// and one exchange at a time otherwise. The caller holds writeMu.
func (q *transcriptQueue) write(ctx context.Context, batches []ExchangeBatch) error {
	if q.batches != nil {
		return q.batches.AddExchangeBatches(ctx, batches)
	}
	for _, batch := range batches {
		for _, exchange := range batch.Exchanges {
			if err := q.Store.AddExchange(ctx, batch.Learner, exchange, batch.Keep); err != nil {
				return err
			}
		}
	}
	return nil
}
