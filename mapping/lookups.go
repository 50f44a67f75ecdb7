package mapping

import "fmt"

// Lookups carries the run-time data that projections need but a spec cannot
// hold: reference tables (ConnectWise member to HubSpot owner, stage ids),
// ConnectWise custom-field ids by caption, and HubSpot list membership. The
// engine builds one per pass and passes it to every projection; a nil
// *Lookups is valid and empty. A Lookups must not be modified while
// projections use it; reads are safe from many goroutines.
type Lookups struct {
	tables  map[string]*table
	custom  map[string]map[string]int      // ConnectWise object -> caption -> id
	members map[string]map[string]struct{} // HubSpot list id -> record ids
}

type table struct {
	fwd map[string]string
	rev map[string]string
	dup map[string]bool // HubSpot values that several keys map to
}

// NewLookups returns an empty Lookups.
func NewLookups() *Lookups { return &Lookups{} }

// SetTable installs a reference table under name, mapping ConnectWise keys
// (for example member ids) to HubSpot values (for example owner ids). The
// reverse direction is indexed too; a HubSpot value that several keys share
// makes reverse lookups of that value fail with ErrAmbiguous.
func (l *Lookups) SetTable(name string, pairs map[string]string) {
	if l.tables == nil {
		l.tables = map[string]*table{}
	}
	t := &table{fwd: make(map[string]string, len(pairs)), rev: make(map[string]string, len(pairs))}
	for k, v := range pairs {
		t.fwd[k] = v
		if _, seen := t.rev[v]; seen {
			if t.dup == nil {
				t.dup = map[string]bool{}
			}
			t.dup[v] = true
		}
		t.rev[v] = k
	}
	l.tables[name] = t
}

// Lookup maps a ConnectWise key to its HubSpot value through table name.
func (l *Lookups) Lookup(name, key string) (string, bool, error) {
	t, err := l.table(name)
	if err != nil {
		return "", false, err
	}
	v, ok := t.fwd[key]
	return v, ok, nil
}

// ReverseLookup maps a HubSpot value back to its ConnectWise key.
func (l *Lookups) ReverseLookup(name, value string) (string, bool, error) {
	t, err := l.table(name)
	if err != nil {
		return "", false, err
	}
	if t.dup[value] {
		return "", false, fmt.Errorf("%w: table %q has several keys for the value", ErrAmbiguous, name)
	}
	k, ok := t.rev[value]
	return k, ok, nil
}

func (l *Lookups) table(name string) (*table, error) {
	if l != nil {
		if t, ok := l.tables[name]; ok {
			return t, nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrNoTable, name)
}

// SetCustomFields records the custom-field ids of a ConnectWise object by
// caption, as listed by GET /system/userDefinedFields or seen on any record
// of that object (connectwise-api.md §7). Create bodies need the id of every
// custom field addressed by caption, because ConnectWise takes
// customFields entries as {id, value}.
func (l *Lookups) SetCustomFields(connectWiseObject string, idByCaption map[string]int) {
	if l.custom == nil {
		l.custom = map[string]map[string]int{}
	}
	l.custom[connectWiseObject] = idByCaption
}

func (l *Lookups) customFieldID(object, caption string) (int, bool) {
	if l == nil {
		return 0, false
	}
	id, ok := l.custom[object][caption]
	return id, ok
}

// SetListMembers records the HubSpot record ids (hs_object_id) that belong to
// a HubSpot list, for InList filters. The engine reads list memberships; the
// mapping only tests them.
func (l *Lookups) SetListMembers(listID string, recordIDs []string) {
	if l.members == nil {
		l.members = map[string]map[string]struct{}{}
	}
	set := make(map[string]struct{}, len(recordIDs))
	for _, id := range recordIDs {
		set[id] = struct{}{}
	}
	l.members[listID] = set
}

// InList reports whether a HubSpot record id is a member of a list. An
// unknown list has no members.
func (l *Lookups) InList(listID, recordID string) bool {
	if l == nil {
		return false
	}
	_, ok := l.members[listID][recordID]
	return ok
}

// Env is what a transform sees besides its input value: the run-time lookups
// and the whole record being projected, for transforms that combine fields.
type Env struct {
	// Lookups holds the engine's run-time tables; may be nil.
	Lookups *Lookups
	// ConnectWise is the ConnectWise record being read (toward HubSpot) or the
	// current ConnectWise record being patched (toward ConnectWise; nil for
	// creates).
	ConnectWise map[string]any
	// HubSpot holds the HubSpot-form values being written toward
	// ConnectWise (nil toward HubSpot).
	HubSpot Values
}
