package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"learn/learner"
	"learn/playground"
)

// openTestDB opens a database file in a fresh temporary folder.
func openTestDB(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "learn.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestSigningKeyCreatedOnceAndKept(t *testing.T) {
	ctx := context.Background()
	db, path := openTestDB(t)
	ada, bob := learner.NewID(), learner.NewID()

	first, err := db.SigningKey(ctx, ada, bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatalf("first SigningKey: %v", err)
	}
	if !bytes.Equal(first, bytes.Repeat([]byte{1}, 32)) {
		t.Errorf("first SigningKey = %x, want the candidate", first)
	}

	again, err := db.SigningKey(ctx, ada, bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatalf("second SigningKey: %v", err)
	}
	if !bytes.Equal(again, first) {
		t.Errorf("second SigningKey = %x, want the stored key %x", again, first)
	}

	other, err := db.SigningKey(ctx, bob, bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatalf("SigningKey for another learner: %v", err)
	}
	if bytes.Equal(other, first) {
		t.Error("two learners share a signing key")
	}

	db.Close()
	reopened, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen database: %v", err)
	}
	defer reopened.Close()
	afterRestart, err := reopened.SigningKey(ctx, ada, bytes.Repeat([]byte{4}, 32))
	if err != nil {
		t.Fatalf("SigningKey after reopening: %v", err)
	}
	if !bytes.Equal(afterRestart, first) {
		t.Errorf("SigningKey after reopening = %x, want %x", afterRestart, first)
	}
}

func TestSigningKeyConcurrentFirstUse(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	id := learner.NewID()

	const callers = 8
	keys := make([][]byte, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			keys[i], errs[i] = db.SigningKey(ctx, id, bytes.Repeat([]byte{byte(i + 1)}, 32))
		})
	}
	wg.Wait()

	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if !bytes.Equal(keys[i], keys[0]) {
			t.Errorf("caller %d got key %x, caller 0 got %x", i, keys[i], keys[0])
		}
	}
}

func TestAdvanceClock(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ada, bob := learner.NewID(), learner.NewID()

	offset, err := db.ClockOffset(ctx, ada)
	if err != nil {
		t.Fatalf("ClockOffset: %v", err)
	}
	if offset != 0 {
		t.Errorf("initial offset = %d, want 0", offset)
	}

	steps := []struct {
		name    string
		seconds int64
		want    int64
		wantErr error
	}{
		{"first advance", 60, 60, nil},
		{"second advance adds", 40, 100, nil},
		{"up to the limit", 900, 1000, nil},
		{"past the limit", 1, 1000, playground.ErrOffsetLimit},
		{"single step above the limit", 5000, 1000, playground.ErrOffsetLimit},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			got, err := db.AdvanceClock(ctx, ada, step.seconds, 1000)
			if !errors.Is(err, step.wantErr) {
				t.Fatalf("AdvanceClock(%d) error = %v, want %v", step.seconds, err, step.wantErr)
			}
			if got != step.want {
				t.Errorf("AdvanceClock(%d) = %d, want %d", step.seconds, got, step.want)
			}
		})
	}

	if offset, _ := db.ClockOffset(ctx, ada); offset != 1000 {
		t.Errorf("stored offset = %d, want 1000", offset)
	}
	if offset, _ := db.ClockOffset(ctx, bob); offset != 0 {
		t.Errorf("other learner's offset = %d, want 0", offset)
	}
	if _, err := db.AdvanceClock(ctx, bob, 0, 1000); err == nil {
		t.Error("AdvanceClock by 0 seconds succeeded, want an error")
	}
}

func TestAdvanceClockConcurrent(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	id := learner.NewID()

	const callers = 10
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			if _, err := db.AdvanceClock(ctx, id, 7, 1_000_000); err != nil {
				t.Errorf("AdvanceClock: %v", err)
			}
		})
	}
	wg.Wait()

	offset, err := db.ClockOffset(ctx, id)
	if err != nil {
		t.Fatalf("ClockOffset: %v", err)
	}
	if offset != 7*callers {
		t.Errorf("offset = %d, want %d", offset, 7*callers)
	}
}

func TestSessionRecords(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ada, bob := learner.NewID(), learner.NewID()
	start := time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)

	record := playground.SessionRecord{
		IDHash:    "hash-1",
		Learner:   ada,
		Data:      []byte(`{"username":"ada"}`),
		CreatedAt: start,
		LastSeen:  start,
	}
	if err := db.CreateSession(ctx, record); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}

	got, err := db.Session(ctx, ada, "hash-1")
	if err != nil {
		t.Fatalf("Session: %v", err)
	}
	if string(got.Data) != `{"username":"ada"}` {
		t.Errorf("Data = %s, want the stored JSON", got.Data)
	}
	if !got.CreatedAt.Equal(start) || !got.LastSeen.Equal(start) {
		t.Errorf("CreatedAt, LastSeen = %v, %v, want both %v", got.CreatedAt, got.LastSeen, start)
	}

	if _, err := db.Session(ctx, bob, "hash-1"); !errors.Is(err, playground.ErrNotFound) {
		t.Errorf("Session for another learner error = %v, want ErrNotFound", err)
	}
	if _, err := db.Session(ctx, ada, "hash-2"); !errors.Is(err, playground.ErrNotFound) {
		t.Errorf("Session with unknown hash error = %v, want ErrNotFound", err)
	}

	later := start.Add(90 * time.Second)
	record.LastSeen = later
	record.Data = []byte(`{"username":"ada","theme":"dark"}`)
	if err := db.UpdateSession(ctx, record); err != nil {
		t.Fatalf("UpdateSession: %v", err)
	}
	got, _ = db.Session(ctx, ada, "hash-1")
	if !got.LastSeen.Equal(later) {
		t.Errorf("LastSeen after update = %v, want %v", got.LastSeen, later)
	}
	if !got.CreatedAt.Equal(start) {
		t.Errorf("CreatedAt after update = %v, want it unchanged at %v", got.CreatedAt, start)
	}
	if string(got.Data) != `{"username":"ada","theme":"dark"}` {
		t.Errorf("Data after update = %s", got.Data)
	}

	stolen := record
	stolen.Learner = bob
	if err := db.UpdateSession(ctx, stolen); !errors.Is(err, playground.ErrNotFound) {
		t.Errorf("UpdateSession by another learner error = %v, want ErrNotFound", err)
	}
	if err := db.DeleteSession(ctx, bob, "hash-1"); err != nil {
		t.Fatalf("DeleteSession by another learner: %v", err)
	}
	if _, err := db.Session(ctx, ada, "hash-1"); err != nil {
		t.Errorf("session deleted by another learner: %v", err)
	}

	if err := db.DeleteSession(ctx, ada, "hash-1"); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if _, err := db.Session(ctx, ada, "hash-1"); !errors.Is(err, playground.ErrNotFound) {
		t.Errorf("Session after delete error = %v, want ErrNotFound", err)
	}
	if err := db.DeleteSession(ctx, ada, "hash-1"); err != nil {
		t.Errorf("second DeleteSession: %v", err)
	}
	if err := db.UpdateSession(ctx, record); !errors.Is(err, playground.ErrNotFound) {
		t.Errorf("UpdateSession after delete error = %v, want ErrNotFound", err)
	}
}

func TestDeleteIdleSessions(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ada, bob := learner.NewID(), learner.NewID()
	start := time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)

	records := []playground.SessionRecord{
		{IDHash: "old", Learner: ada, LastSeen: start},
		{IDHash: "fresh", Learner: ada, LastSeen: start.Add(time.Hour)},
		{IDHash: "other-learner", Learner: bob, LastSeen: start},
	}
	for _, record := range records {
		record.Data = []byte(`{}`)
		record.CreatedAt = record.LastSeen
		if err := db.CreateSession(ctx, record); err != nil {
			t.Fatalf("CreateSession %s: %v", record.IDHash, err)
		}
	}

	deleted, err := db.DeleteIdleSessions(ctx, ada, start.Add(30*time.Minute))
	if err != nil {
		t.Fatalf("DeleteIdleSessions: %v", err)
	}
	if deleted != 1 {
		t.Errorf("deleted %d sessions, want 1", deleted)
	}
	if _, err := db.Session(ctx, ada, "old"); !errors.Is(err, playground.ErrNotFound) {
		t.Errorf("idle session still there: %v", err)
	}
	if _, err := db.Session(ctx, ada, "fresh"); err != nil {
		t.Errorf("fresh session gone: %v", err)
	}
	if _, err := db.Session(ctx, bob, "other-learner"); err != nil {
		t.Errorf("other learner's session gone: %v", err)
	}
}

func TestTranscriptKeepsNewest(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ada, bob := learner.NewID(), learner.NewID()
	start := time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)

	for i := range 7 {
		exchange := playground.Exchange{
			Time:                   start.Add(time.Duration(i) * time.Second),
			Method:                 "GET",
			Path:                   fmt.Sprintf("/playground/api/clock?i=%d", i),
			Authorization:          "Bearer abc",
			AuthorizationTruncated: i%2 == 0,
			Cookie:                 "pg_session=MTc2NDg3NjQw…",
			SetCookie:              "pg_session=MTc2NDg3NjQw…; Path=/; HttpOnly; SameSite=Lax",
			Status:                 200,
			ResponseBody:           `{"ok":true}`,
			ResponseBodyTruncated:  true,
		}
		if err := db.AddExchange(ctx, ada, exchange, 5); err != nil {
			t.Fatalf("AddExchange %d: %v", i, err)
		}
	}
	if err := db.AddExchange(ctx, bob, playground.Exchange{Time: start, Method: "POST", Path: "/bob", Status: 401}, 5); err != nil {
		t.Fatalf("AddExchange for another learner: %v", err)
	}

	exchanges, err := db.Exchanges(ctx, ada)
	if err != nil {
		t.Fatalf("Exchanges: %v", err)
	}
	if len(exchanges) != 5 {
		t.Fatalf("kept %d exchanges, want 5", len(exchanges))
	}
	for i, exchange := range exchanges {
		want := fmt.Sprintf("/playground/api/clock?i=%d", i+2)
		if exchange.Path != want {
			t.Errorf("exchange %d path = %q, want %q (oldest first)", i, exchange.Path, want)
		}
	}
	first := exchanges[0]
	if !first.Time.Equal(start.Add(2 * time.Second)) {
		t.Errorf("Time = %v, want %v", first.Time, start.Add(2*time.Second))
	}
	if !first.AuthorizationTruncated || exchanges[1].AuthorizationTruncated {
		t.Errorf("AuthorizationTruncated = %v, %v, want true, false", first.AuthorizationTruncated, exchanges[1].AuthorizationTruncated)
	}
	if first.Method != "GET" {
		t.Errorf("Method = %q, want GET", first.Method)
	}
	if first.Authorization != "Bearer abc" {
		t.Errorf("Authorization = %q, want Bearer abc", first.Authorization)
	}
	if first.Cookie != "pg_session=MTc2NDg3NjQw…" {
		t.Errorf("Cookie = %q, want the abbreviated session cookie", first.Cookie)
	}
	if first.SetCookie != "pg_session=MTc2NDg3NjQw…; Path=/; HttpOnly; SameSite=Lax" {
		t.Errorf("SetCookie = %q, want the abbreviated Set-Cookie", first.SetCookie)
	}
	if first.Status != 200 {
		t.Errorf("Status = %d, want 200", first.Status)
	}
	if first.ResponseBody != `{"ok":true}` {
		t.Errorf("ResponseBody = %q, want {\"ok\":true}", first.ResponseBody)
	}
	if !first.ResponseBodyTruncated {
		t.Error("ResponseBodyTruncated = false, want true")
	}

	bobs, err := db.Exchanges(ctx, bob)
	if err != nil {
		t.Fatalf("Exchanges for another learner: %v", err)
	}
	if len(bobs) != 1 || bobs[0].Path != "/bob" {
		t.Errorf("other learner's transcript = %+v, want the one /bob exchange", bobs)
	}

	if err := db.ClearTranscript(ctx, ada); err != nil {
		t.Fatalf("ClearTranscript: %v", err)
	}
	if exchanges, _ := db.Exchanges(ctx, ada); len(exchanges) != 0 {
		t.Errorf("%d exchanges after clearing, want 0", len(exchanges))
	}
	if bobs, _ := db.Exchanges(ctx, bob); len(bobs) != 1 {
		t.Errorf("clearing one transcript removed another learner's exchanges")
	}
}

func TestAddExchangeBatchesKeepsNewest(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	ada, bob := learner.NewID(), learner.NewID()
	start := time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)

	// Ada has two stored exchanges before the batch adds six more.
	for i := range 2 {
		if err := db.AddExchange(ctx, ada, playground.Exchange{Time: start, Path: fmt.Sprintf("/stored/%d", i)}, 5); err != nil {
			t.Fatalf("AddExchange: %v", err)
		}
	}
	var adaBatch []playground.Exchange
	for i := range 6 {
		adaBatch = append(adaBatch, playground.Exchange{Time: start.Add(time.Duration(i) * time.Second), Path: fmt.Sprintf("/batch/%d", i)})
	}
	batches := []playground.ExchangeBatch{
		{Learner: ada, Exchanges: adaBatch, Keep: 5},
		{Learner: bob, Exchanges: []playground.Exchange{{Time: start, Path: "/bob", Status: 401}}, Keep: 5},
	}
	if err := db.AddExchangeBatches(ctx, batches); err != nil {
		t.Fatalf("AddExchangeBatches: %v", err)
	}

	exchanges, err := db.Exchanges(ctx, ada)
	if err != nil {
		t.Fatalf("Exchanges: %v", err)
	}
	var paths []string
	for _, exchange := range exchanges {
		paths = append(paths, exchange.Path)
	}
	want := []string{"/batch/1", "/batch/2", "/batch/3", "/batch/4", "/batch/5"}
	if !slices.Equal(paths, want) {
		t.Errorf("ada's paths = %v, want %v", paths, want)
	}
	bobs, err := db.Exchanges(ctx, bob)
	if err != nil {
		t.Fatalf("Exchanges for bob: %v", err)
	}
	if len(bobs) != 1 || bobs[0].Status != 401 {
		t.Errorf("bob's exchanges = %+v, want the one 401", bobs)
	}
}
