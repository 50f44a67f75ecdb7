package memstore

import "github.com/hubwise/hubwise/syncer"

// leaseState is a tenant's current lease, with the fencing rules every driver
// shares ([syncer.LeaseState]).
type leaseState = syncer.LeaseState
