package e2e

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"

	apikeysv2 "github.com/confluentinc/ccloud-sdk-go-v2/apikeys/v2"
	cmkv2 "github.com/confluentinc/ccloud-sdk-go-v2/cmk/v2"
	iamv2 "github.com/confluentinc/ccloud-sdk-go-v2/iam/v2"
	mdsv2 "github.com/confluentinc/ccloud-sdk-go-v2/mds/v2"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// cloudLab starts an emulator with lkc-east in the public network
// (env-default) and lkc-west in private network n-west of env-west.
func cloudLab(t *testing.T, edit ...func(*emulator.Options)) *apitest.Env {
	t.Helper()
	opts := emulator.Options{Networks: []emulator.NetworkSpec{{ID: "n-west", Environment: "env-west", Clusters: []string{"lkc-west"}}}}
	for _, e := range edit {
		e(&opts)
	}
	return apitest.Start(t, opts)
}

// TestCloudAPIWithConfluentSDKs drives every Cloud API route with
// Confluent's Go SDK clients, over HTTP and HTTPS and through each mount,
// every answer checked against the spec of its API group.
func TestCloudAPIWithConfluentSDKs(t *testing.T) {
	env := cloudLab(t)
	tlsCfg := &tls.Config{RootCAs: env.CA().Pool()}
	for _, tc := range []struct {
		name, base string
		tls        *tls.Config
	}{
		{"http root", env.RESTURL, nil},
		{"http /api", env.RESTURL + "/api", nil},
		{"https root", env.HTTPSURL, tlsCfg},
		{"https /confluent.cloud/api", env.HTTPSURL + "/confluent.cloud/api", tlsCfg},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			sdk := env.CloudSDK(tc.base, tc.tls)
			host := strings.TrimSuffix(strings.TrimSuffix(tc.base, "/confluent.cloud/api"), "/api")

			envs, _, err := sdk.Org.EnvironmentsOrgV2Api.ListOrgV2Environments(ctx).Execute()
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range envs.Data {
				ids = append(ids, e.GetId())
			}
			if strings.Join(ids, " ") != "env-default env-west" || envs.Metadata.GetTotalSize() != 2 {
				t.Errorf("environments %v (total %d), want env-default env-west", ids, envs.Metadata.GetTotalSize())
			}
			e, _, err := sdk.Org.EnvironmentsOrgV2Api.GetOrgV2Environment(ctx, "env-west").Execute()
			if err != nil || e.GetDisplayName() != "env-west" || e.Metadata.GetSelf() != host+"/org/v2/environments/env-west" {
				t.Errorf("environment env-west: %+v %v", e, err)
			}

			var c0 cmkv2.CmkV2Cluster
			for _, want := range []struct{ env, cluster, network string }{{"env-default", "lkc-east", ""}, {"env-west", "lkc-west", "n-west"}} {
				list, _, err := sdk.CMK.ClustersCmkV2Api.ListCmkV2Clusters(ctx).Environment(want.env).PageSize(100).Execute()
				if err != nil || len(list.Data) != 1 || list.Data[0].GetId() != want.cluster {
					t.Fatalf("clusters of %s: %+v %v", want.env, list, err)
				}
				c, _, err := sdk.CMK.ClustersCmkV2Api.GetCmkV2Cluster(ctx, want.cluster).Environment(want.env).Execute()
				if err != nil {
					t.Fatal(err)
				}
				c0 = c
				sp := c.GetSpec()
				if sp.GetHttpEndpoint() != host+"/clusters/"+want.cluster || sp.GetKafkaBootstrapEndpoint() != "SASL_SSL://"+saslSSLBootstrap(t, env, want.cluster) ||
					sp.Environment.GetId() != want.env || c.Status.GetPhase() != "PROVISIONED" {
					t.Errorf("cluster %s: http %s bootstrap %s env %s phase %s", want.cluster, sp.GetHttpEndpoint(), sp.GetKafkaBootstrapEndpoint(), sp.Environment.GetId(), c.Status.GetPhase())
				}
				if got := sp.Network.GetId(); got != want.network {
					t.Errorf("cluster %s: network %q, want %q", want.cluster, got, want.network)
				}
			}

			users, _, err := sdk.IAM.UsersIamV2Api.ListIamV2Users(ctx).Execute()
			if err != nil || len(users.Data) != 1 || users.Data[0].GetId() != "u-linkemu" {
				t.Fatalf("users: %+v %v", users, err)
			}
			sa, _, err := sdk.IAM.ServiceAccountsIamV2Api.CreateIamV2ServiceAccount(ctx).IamV2ServiceAccount(iamv2.IamV2ServiceAccount{
				DisplayName: iamv2.PtrString("linker " + tc.name), Description: iamv2.PtrString("runs the links")}).Execute()
			if err != nil || !strings.HasPrefix(sa.GetId(), "sa-") {
				t.Fatalf("create service account: %+v %v", sa, err)
			}
			got, _, err := sdk.IAM.ServiceAccountsIamV2Api.GetIamV2ServiceAccount(ctx, sa.GetId()).Execute()
			if err != nil || got.GetDisplayName() != "linker "+tc.name {
				t.Errorf("get service account: %+v %v", got, err)
			}

			key, _, err := sdk.APIKeys.APIKeysIamV2Api.CreateIamV2ApiKey(ctx).IamV2ApiKey(apikeysv2.IamV2ApiKey{Spec: &apikeysv2.IamV2ApiKeySpec{
				DisplayName: apikeysv2.PtrString("west key"),
				Owner:       &apikeysv2.ObjectReference{Id: sa.GetId()},
				Resource:    &apikeysv2.ObjectReference{Id: "lkc-west", Environment: apikeysv2.PtrString("env-west")},
			}}).Execute()
			if err != nil || len(key.GetId()) != 16 || len(key.Spec.GetSecret()) != 64 {
				t.Fatalf("create API key: %+v %v", key, err)
			}
			k, _, err := sdk.APIKeys.APIKeysIamV2Api.GetIamV2ApiKey(ctx, key.GetId()).Execute()
			if err != nil || k.Spec.GetSecret() != "" || k.Spec.Owner.GetId() != sa.GetId() || k.Spec.Resource.GetId() != "lkc-west" || k.Spec.Resource.GetKind() != "Cluster" {
				t.Errorf("get API key: %+v %v", k, err)
			}
			keys, _, err := sdk.APIKeys.APIKeysIamV2Api.ListIamV2ApiKeys(ctx).SpecOwner(sa.GetId()).SpecResource("lkc-west").Execute()
			if err != nil || len(keys.Data) != 1 || keys.Data[0].GetId() != key.GetId() {
				t.Errorf("list API keys: %+v %v", keys, err)
			}
			if !env.ClusterCredential("lkc-west", key.GetId(), key.Spec.GetSecret()) || env.ClusterCredential("lkc-east", key.GetId(), key.Spec.GetSecret()) {
				t.Error("the key is not a credential of lkc-west alone")
			}
			rb, _, err := sdk.MDS.RoleBindingsIamV2Api.CreateIamV2RoleBinding(ctx).IamV2RoleBinding(mdsv2.IamV2RoleBinding{
				Principal: mdsv2.PtrString("User:" + sa.GetId()), RoleName: mdsv2.PtrString("CloudClusterAdmin"),
				CrnPattern: mdsv2.PtrString(c0.Metadata.GetResourceName()[:strings.LastIndex(c0.Metadata.GetResourceName(), "/kafka=")])}).Execute()
			if err != nil || !strings.HasPrefix(rb.GetId(), "rb-") {
				t.Fatalf("create role binding: %+v %v", rb, err)
			}
			rbs, _, err := sdk.MDS.RoleBindingsIamV2Api.ListIamV2RoleBindings(ctx).Principal("User:" + sa.GetId()).CrnPattern("crn://confluent.cloud/organization=linkemu").Execute()
			if err != nil || len(rbs.Data) != 1 || rbs.Data[0].GetCrnPattern() != rb.GetCrnPattern() {
				t.Errorf("list role bindings: %+v %v", rbs, err)
			}
			if _, _, err := sdk.MDS.RoleBindingsIamV2Api.DeleteIamV2RoleBinding(ctx, rb.GetId()).Execute(); err != nil {
				t.Fatal(err)
			}
			if _, err := sdk.APIKeys.APIKeysIamV2Api.DeleteIamV2ApiKey(ctx, key.GetId()).Execute(); err != nil {
				t.Fatal(err)
			}
			if env.ClusterCredential("lkc-west", key.GetId(), key.Spec.GetSecret()) {
				t.Error("a deleted key is still a credential")
			}
			if _, err := sdk.IAM.ServiceAccountsIamV2Api.DeleteIamV2ServiceAccount(ctx, sa.GetId()).Execute(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCloudAPIPagination pages through service accounts with page_size and
// the page_token of metadata.next.
func TestCloudAPIPagination(t *testing.T) {
	env := cloudLab(t)
	ctx := context.Background()
	sdk := env.CloudSDK(env.RESTURL, nil)
	for _, n := range []string{"a", "b", "c"} {
		if _, _, err := sdk.IAM.ServiceAccountsIamV2Api.CreateIamV2ServiceAccount(ctx).IamV2ServiceAccount(iamv2.IamV2ServiceAccount{DisplayName: &n}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	seen := 0
	for token := ""; ; {
		req := sdk.IAM.ServiceAccountsIamV2Api.ListIamV2ServiceAccounts(ctx).PageSize(2)
		if token != "" {
			req = req.PageToken(token)
		}
		page, _, err := req.Execute()
		if err != nil {
			t.Fatal(err)
		}
		seen += len(page.Data)
		next := page.Metadata.GetNext()
		if next == "" {
			break
		}
		_, q, _ := strings.Cut(next, "page_token=")
		token, _, _ = strings.Cut(q, "&")
	}
	if seen != 3 {
		t.Errorf("paged through %d service accounts, want 3", seen)
	}
}

// saslSSLBootstrap is the SASL_SSL listener of a served embedded cluster,
// which the Cloud API gives as its kafka_bootstrap_endpoint.
func saslSSLBootstrap(t *testing.T, env *apitest.Env, id string) string {
	t.Helper()
	for _, c := range env.Clusters {
		if c.ID == id && c.SASLSSLBootstrap != "" {
			return c.SASLSSLBootstrap
		}
	}
	t.Fatalf("no SASL_SSL listener for cluster %s", id)
	return ""
}
