package connectwise

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContactsFindByEmail(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET company/contacts", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string]string{
			"childConditions": `communicationItems/value = "ada@northwind.example" AND communicationItems/communicationType = "Email"`,
			"conditions":      `company/id = 310`,
			"page":            "1",
			"pageSize":        "1000",
		})
		writeJSON(w, 200, fixture(t, "contacts-list.json"))
	})
	var ids []int
	for c, err := range env.client.Contacts.FindByEmail(context.Background(), "ada@northwind.example", &ListOptions{Conditions: Eq("company/id", 310)}) {
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	assert.Equal(t, []int{9001, 9002}, ids)
}

func TestContactsSetDefaultEmail(t *testing.T) {
	cases := []struct {
		name      string
		email     string
		get       string
		wantPatch string
		after     string
		commTypes bool
		wantErr   error
	}{
		{"already default", "ada@northwind.example", `{"id":9001,"communicationItems":[{"id":503,"type":{"id":40},"value":"ADA@northwind.example","defaultFlag":true,"communicationType":"Email"}]}`, "", "", false, nil},
		{"existing non-default flagged", "ada.old@northwind.example", `{"id":9001,"communicationItems":[{"id":501,"value":"0113","defaultFlag":true,"communicationType":"Phone"},{"id":502,"type":{"id":40},"value":"ada.old@northwind.example","defaultFlag":false,"communicationType":"Email"},{"id":503,"type":{"id":40},"value":"ada@northwind.example","defaultFlag":true,"communicationType":"Email"}]}`,
			`[{"op":"replace","path":"/communicationItems/1/defaultFlag","value":true},{"op":"replace","path":"/customFields","value":[]}]`,
			`{"id":9001,"communicationItems":[{"id":502,"value":"ada.old@northwind.example","defaultFlag":true,"communicationType":"Email"},{"id":503,"value":"ada@northwind.example","defaultFlag":false,"communicationType":"Email"}]}`, false, nil},
		{"default flag ignored by server", "ada.old@northwind.example", `{"id":9001,"communicationItems":[{"id":502,"type":{"id":40},"value":"ada.old@northwind.example","defaultFlag":false,"communicationType":"Email"},{"id":503,"type":{"id":40},"value":"ada@northwind.example","defaultFlag":true,"communicationType":"Email"}]}`,
			`[{"op":"replace","path":"/communicationItems/0/defaultFlag","value":true},{"op":"replace","path":"/customFields","value":[]}]`,
			`{"id":9001,"communicationItems":[{"id":502,"value":"ada.old@northwind.example","defaultFlag":false,"communicationType":"Email"},{"id":503,"value":"ada@northwind.example","defaultFlag":true,"communicationType":"Email"}]}`, false, ErrDefaultNotApplied},
		{"default value replaced", "ada.new@northwind.example", `{"id":9001,"communicationItems":[{"id":501,"value":"0113","defaultFlag":true,"communicationType":"Phone"},{"id":503,"type":{"id":40},"value":"ada@northwind.example","defaultFlag":true,"communicationType":"Email"}]}`,
			`[{"op":"replace","path":"/communicationItems/1/value","value":"ada.new@northwind.example"},{"op":"replace","path":"/customFields","value":[]}]`,
			`{"id":9001,"communicationItems":[{"id":503,"value":"ada.new@northwind.example","defaultFlag":true,"communicationType":"Email"}]}`, false, nil},
		{"appended with tenant type", "new@northwind.example", `{"id":9001,"communicationItems":[{"id":501,"value":"0113","defaultFlag":true,"communicationType":"Phone"}]}`,
			`[{"op":"add","path":"/communicationItems/1","value":{"type":{"id":40},"value":"new@northwind.example","defaultFlag":true,"communicationType":"Email"}},{"op":"replace","path":"/customFields","value":[]}]`,
			`{"id":9001}`, true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := setup(t)
			patched := false
			env.handle(t, "GET company/contacts/9001", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, tc.get) })
			env.handle(t, "PATCH company/contacts/9001", func(w http.ResponseWriter, r *http.Request) {
				patched = true
				testJSONBody(t, r, tc.wantPatch)
				writeJSON(w, 200, tc.after)
			})
			commCalls := 0
			env.handle(t, "GET company/communicationTypes", func(w http.ResponseWriter, r *http.Request) {
				commCalls++
				writeJSON(w, 200, fixture(t, "communication-types.json"))
			})
			_, _, err := env.client.Contacts.SetDefaultEmail(context.Background(), 9001, tc.email)
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.wantPatch != "", patched)
			assert.Equal(t, tc.commTypes, commCalls > 0)
		})
	}
}

func TestContactsSetDefaultPhone(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET company/contacts/5", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":5,"communicationItems":[{"id":1,"type":{"id":40},"value":"a@b.c","defaultFlag":true,"communicationType":"Email"}]}`)
	})
	env.handle(t, "GET company/communicationTypes", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, fixture(t, "communication-types.json"))
	})
	env.handle(t, "PATCH company/contacts/5", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `[{"op":"add","path":"/communicationItems/1","value":{"type":{"id":31},"value":"+44 113 000","defaultFlag":true,"communicationType":"Phone"}},{"op":"replace","path":"/customFields","value":[]}]`)
		writeJSON(w, 200, `{"id":5,"communicationItems":[{"id":1,"value":"a@b.c","defaultFlag":true,"communicationType":"Email"},{"id":2,"value":"+44 113 000","defaultFlag":true,"communicationType":"Phone"}]}`)
	})
	c, _, err := env.client.Contacts.SetDefaultCommunication(context.Background(), 5, CommunicationPhone, " +44 113 000 ")
	require.NoError(t, err)
	p, _ := c.DefaultItem(CommunicationPhone)
	assert.Equal(t, "+44 113 000", p.Value)
	_, _, err = env.client.Contacts.SetDefaultCommunication(context.Background(), 5, "Pager", "1")
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, _, err = env.client.Contacts.SetDefaultCommunication(context.Background(), 5, CommunicationFax, " ")
	assert.ErrorIs(t, err, ErrInvalidConfig)
}

func TestContactsSetDefaultEmailReadsCommunications(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET company/contacts/7", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"id":7,"firstName":"X"}`) })
	env.handle(t, "GET company/contacts/7/communications", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string]string{"pageSize": "1000"})
		writeJSON(w, 200, `[{"id":1,"type":{"id":40},"value":"x@y.com","defaultFlag":true,"communicationType":"Email"}]`)
	})
	env.handle(t, "PATCH company/contacts/7", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `[{"op":"replace","path":"/communicationItems/0/value","value":"z@y.com"},{"op":"replace","path":"/customFields","value":[]}]`)
		writeJSON(w, 200, `{"id":7}`)
	})
	_, _, err := env.client.Contacts.SetDefaultEmail(context.Background(), 7, "z@y.com")
	require.NoError(t, err)
	_, _, err = env.client.Contacts.SetDefaultEmail(context.Background(), 7, "not-an-email")
	assert.ErrorIs(t, err, ErrInvalidConfig)
}

func TestDefaultCommunicationTypeCached(t *testing.T) {
	env := setup(t)
	calls := 0
	env.handle(t, "GET company/communicationTypes", func(w http.ResponseWriter, r *http.Request) {
		calls++
		writeJSON(w, 200, fixture(t, "communication-types.json"))
	})
	ctx := context.Background()
	for kind, want := range map[string]int{"Email": 40, "phone": 31, "Fax": 44} {
		ct, err := env.client.DefaultCommunicationType(ctx, kind)
		require.NoError(t, err)
		assert.Equal(t, want, ct.ID, kind)
	}
	_, err := env.client.DefaultCommunicationType(ctx, "Pager")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, 1, calls)
}
