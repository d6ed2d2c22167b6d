package topology_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// corpusKubernetesFindings pins what hoplint reports on the Kubernetes
// files of ../shared/corpus. Each line was checked by hand against the
// file (see the comment after it); a change here must be checked again.
var corpusKubernetesFindings = `
GoogleCloudPlatform__microservices-demo/release/kubernetes-manifests.yaml:45 missing-prestop-drain
	# frontend's server container: Service frontend-external (LoadBalancer) routes to it, no lifecycle.preStop;
	# that load balancer passes TCP through, so the message says "refused or reset connections", no 502s
GoogleCloudPlatform__microservices-demo/release/kubernetes-manifests.yaml:486 missing-memory-limit
	# loadgenerator's init container frontend-check has no resources at all
	# antonputra lesson 136 (limits 20m / 32Mi) is no longer reported: the corpus holds only its
	# Deployment, no Service or Ingress sends to it, so it is not a server (issue 9 item 11)
antonputra__tutorials/lessons/196/7-example/1-deployment.yaml:18 missing-prestop-drain
	# ALB Ingress 7-example/myapp -> Service myapp -> Deployment myapp, no preStop
aws-samples__eks-workshop-v2/manifests/base-application/carts/deployment-db.yaml:25 missing-memory-limit
	# dynamodb container has no resources
dbca-wa__resource_tracking/kustomize/base/deployment.yaml:19 missing-prestop-drain
	# built since the gitignored .env of secretGenerator envs: gets an empty stand-in (issue 20 item 5):
	# container resourcetracking has no lifecycle; the prod and uat Ingresses route to its Service
dbca-wa__resource_tracking/kustomize/overlays/prod/ingress.yaml:4 missing-body-size-limit
	# ingress-nginx Ingress with no annotations at all
dbca-wa__resource_tracking/kustomize/overlays/uat/ingress.yaml:4 missing-body-size-limit
	# same in uat
kubernetes-sigs__aws-load-balancer-controller/docs/examples/2048/2048_full.yaml:25 missing-memory-limit
	# app-2048 has no resources
kubernetes-sigs__aws-load-balancer-controller/docs/examples/2048/2048_full.yaml:25 missing-prestop-drain
	# ALB Ingress ingress-2048 -> service-2048 -> deployment-2048, no preStop
kubernetes-sigs__aws-load-balancer-controller/docs/examples/echoservice/echoserver-deployment.yaml:19 missing-memory-limit
	# echoserver has no resources
kubernetes-sigs__aws-load-balancer-controller/docs/examples/echoservice/echoserver-deployment.yaml:19 missing-prestop-drain
	# ALB Ingress echoserver (other file) -> Service echoserver (other file) -> Deployment echoserver
kubernetes__examples/AI/model-serving-tensorflow/deployment.yaml:18 missing-memory-limit
	# tensorflow-serving has no resources
kubernetes__examples/AI/model-serving-tensorflow/ingress.yaml:4 missing-body-size-limit
	# no class, nginx.ingress.kubernetes.io annotations, no proxy-body-size: 1m default (assumption in the message)
kubernetes__examples/web/guestbook/all-in-one/guestbook-all-in-one.yaml:39 missing-memory-limit
	# redis master: requests only
kubernetes__examples/web/guestbook/all-in-one/guestbook-all-in-one.yaml:83 missing-memory-limit
	# redis replica: requests only
kubernetes__examples/web/guestbook/all-in-one/guestbook-all-in-one.yaml:136 missing-memory-limit
	# php-redis frontend: requests only
kubernetes__ingress-nginx/deploy/static/provider/aws/deploy.yaml:488 missing-memory-limit
	# controller: requests cpu/memory, no limits
kubernetes__ingress-nginx/deploy/static/provider/aws/deploy.yaml:555 missing-memory-limit
	# admission-create Job container, no resources
kubernetes__ingress-nginx/deploy/static/provider/aws/deploy.yaml:611 missing-memory-limit
	# admission-patch Job container, no resources
kubernetes__ingress-nginx/deploy/static/provider/aws/nlb-with-tls-termination/deploy.yaml:346 ignored-lb-attribute
	# connection-idle-timeout on a Service with aws-load-balancer-type: nlb (Classic ELB only)
kubernetes__ingress-nginx/deploy/static/provider/aws/nlb-with-tls-termination/deploy.yaml:500 missing-memory-limit
	# controller, as above
kubernetes__ingress-nginx/deploy/static/provider/aws/nlb-with-tls-termination/deploy.yaml:567 missing-memory-limit
kubernetes__ingress-nginx/deploy/static/provider/aws/nlb-with-tls-termination/deploy.yaml:623 missing-memory-limit
	# external-auth-headers auth-service and echo-service (Go servers, limits 10m / 20Mi) are no longer
	# reported: both are above the floors no server survives, 10m and 6Mi (issue 20 item 13)
kubernetes__ingress-nginx/docs/examples/customization/external-auth-headers/echo-service.yaml:20 missing-prestop-drain
	# two ingress-nginx Ingresses route to demo-echo-service, no preStop
kubernetes__ingress-nginx/docs/examples/customization/external-auth-headers/echo-service.yaml:49 missing-body-size-limit
	# class nginx (IngressClass nginx -> k8s.io/ingress-nginx); no ConfigMap in the tree sets proxy-body-size
kubernetes__ingress-nginx/docs/examples/customization/external-auth-headers/echo-service.yaml:71 missing-body-size-limit
kubernetes__ingress-nginx/docs/examples/docker-registry/deployment.yaml:24 missing-memory-limit
kubernetes__ingress-nginx/docs/examples/docker-registry/deployment.yaml:24 missing-prestop-drain
	# ingress-nginx Ingress docker-registry routes to it, no preStop
kubernetes__ingress-nginx/docs/examples/docker-registry/ingress-with-tls.yaml:5 unbounded-body-size
	# proxy-body-size: "0"

envoyproxy__gateway/examples/kubernetes/application.yaml:42 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/backend-utilization.yaml:36 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/backend-utilization.yaml:81 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/gateway-namespace-mode.yaml:107 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/gateway-namespace-mode.yaml:51 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/grpc-routing.yaml:41 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/grpc-routing.yaml:76 stream-cut-by-timeout
envoyproxy__gateway/examples/kubernetes/jwt/grpc-jwt.yaml:28 stream-cut-by-timeout
	# GRPCRoute yages on Envoy Gateway: Envoy's 15s route timeout ends every call (EG writes none for a
	# GRPCRoute); pinned and labelled in topology/gateway/corpus_test.go
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:121 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:188 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:235 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:58 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/merged-gateways.yaml:61 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/mergepatch.yaml:83 missing-prestop-drain
envoyproxy__gateway/examples/kubernetes/quickstart.yaml:59 missing-prestop-drain
envoyproxy__gateway/test/e2e/testdata/preserve-case.yaml:68 missing-prestop-drain
istio__istio/samples/websockets/app.yaml:32 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/cafe-example/cafe.yaml:16 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/cafe-example/cafe.yaml:49 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/client-settings-policy/app.yaml:16 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/client-settings-policy/app.yaml:49 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/proxy-settings-policy/app.yaml:138 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/proxy-settings-policy/app.yaml:80 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/snippets/app.yaml:16 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/snippets/app.yaml:49 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/upstream-settings-policy/app.yaml:16 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/upstream-settings-policy/app.yaml:49 missing-prestop-drain
	# Gateway API (issue 16): each container receives traffic from an HTTPRoute/GRPCRoute (or an Istio
	# VirtualService) through its Service and has no lifecycle.preStop; checked in each file by hand
	# (helper on issue 16; the lead re-read quickstart.yaml, cafe.yaml and websockets/app.yaml)
envoyproxy__gateway/examples/kubernetes/application.yaml:42 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/backend-utilization.yaml:57 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/backend-utilization.yaml:102 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/ext-auth-grpc-service.yaml:335 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/ext-auth-http-service.yaml:56 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/ext-proc-grpc-service.yaml:381 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/gateway-namespace-mode.yaml:51 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/gateway-namespace-mode.yaml:107 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/grpc-routing.yaml:41 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:69 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:132 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:199 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:246 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/merged-gateways.yaml:61 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/mergepatch.yaml:83 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/quickstart.yaml:59 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/tcp-routing.yaml:75 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/tcp-routing.yaml:109 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/tls-passthrough.yaml:30 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/tls-termination.yaml:68 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/udp-routing-example-backend.yaml:38 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/zone-aware-routing.yaml:35 missing-memory-limit
envoyproxy__gateway/examples/kubernetes/zone-aware-routing.yaml:82 missing-memory-limit
envoyproxy__gateway/test/e2e/testdata/preserve-case.yaml:68 missing-memory-limit
	# each example backend checked in its file: no resources at all, or (backend-utilization,
	# http-routing) requests.cpu 10m only; the repo holds no LimitRange. Line = the container's
	# name: (or resources: where it has one)
istio__istio/samples/websockets/app.yaml:32 missing-memory-limit
	# tornado container has no resources
nginx__nginx-gateway-fabric/examples/cafe-example/cafe.yaml:16 missing-memory-limit
nginx__nginx-gateway-fabric/examples/cafe-example/cafe.yaml:49 missing-memory-limit
nginx__nginx-gateway-fabric/examples/client-settings-policy/app.yaml:16 missing-memory-limit
nginx__nginx-gateway-fabric/examples/client-settings-policy/app.yaml:49 missing-memory-limit
nginx__nginx-gateway-fabric/examples/proxy-settings-policy/app.yaml:80 missing-memory-limit
nginx__nginx-gateway-fabric/examples/proxy-settings-policy/app.yaml:138 missing-memory-limit
nginx__nginx-gateway-fabric/examples/snippets/app.yaml:16 missing-memory-limit
nginx__nginx-gateway-fabric/examples/snippets/app.yaml:49 missing-memory-limit
nginx__nginx-gateway-fabric/examples/upstream-settings-policy/app.yaml:16 missing-memory-limit
nginx__nginx-gateway-fabric/examples/upstream-settings-policy/app.yaml:49 missing-memory-limit
	# coffee and tea Deployments of each example: no resources
orlabs__orange/statefulset.yaml:84 missing-memory-limit
orlabs__orange/statefulset.yaml:112 missing-memory-limit
	# StatefulSets orange-gateway-a and -b: no resources
sameersbn__docker-squid/kubernetes/pod.yml:9 missing-memory-limit
	# squid Pod has no resources
sameersbn__docker-squid/kubernetes/pod.yml:9 missing-prestop-drain
	# Service squid (type LoadBalancer, selector name: squid) selects the Pod; no lifecycle (a bare
	# Pod has no rollouts, but its deletion races the endpoint removal the same way)
spring-projects__spring-petclinic/k8s/db.yml:45 missing-memory-limit
	# postgresql has no resources
spring-projects__spring-petclinic/k8s/petclinic.yml:32 missing-memory-limit
	# workload (petclinic) has no resources
# Added with the third-round corpus (December 2026):
Unleash__helm-charts/charts/unleash-edge/values.yaml:54 missing-memory-limit
	# resources: {} in the chart's values reaches the container (checked by hand)
Unleash__helm-charts/charts/unleash/values.yaml:167 missing-memory-limit
	# resources: {} in the chart's values reaches the container (checked by hand)
authelia__authelia/internal/suites/example/kube/apps/nginx.yml:20 missing-memory-limit
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
authelia__authelia/internal/suites/example/kube/apps/nginx.yml:20 missing-prestop-drain
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
authelia__authelia/internal/suites/example/kube/authelia/authelia.yml:20 missing-memory-limit
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
authelia__authelia/internal/suites/example/kube/authelia/authelia.yml:20 missing-prestop-drain
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
authelia__authelia/internal/suites/example/kube/dashboards.yml:169 missing-memory-limit
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
authelia__authelia/internal/suites/example/kube/dashboards.yml:252 missing-memory-limit
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
authelia__authelia/internal/suites/example/kube/ldap/ldap.yml:20 missing-memory-limit
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
authelia__authelia/internal/suites/example/kube/mail/mail.yml:20 missing-memory-limit
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
authelia__authelia/internal/suites/example/kube/mail/mail.yml:20 missing-prestop-drain
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
authelia__authelia/internal/suites/example/kube/storage/mariadb.yml:20 missing-memory-limit
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
authelia__authelia/internal/suites/example/kube/storage/redis.yml:20 missing-memory-limit
	# no resources / no lifecycle; Traefik Ingress -> Service -> Deployment (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/apigwws/templates/deployment.yaml:24 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/apigwws/templates/ingress.yaml:2 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/apigwws/templates/service.yaml:4 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/basket-api/templates/configmap.yaml:13 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/basket-api/templates/deployment.yaml:24 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/basket-api/templates/service.yaml:4 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/catalog-api/templates/configmap.yaml:2 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/catalog-api/templates/deployment.yaml:24 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/catalog-api/templates/service.yaml:4 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/eshop-common/templates/secret.yaml:1 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/ordering-signalrhub/templates/configmap.yaml:2 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/ordering-signalrhub/templates/deployment.yaml:24 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/ordering-signalrhub/templates/service.yaml:4 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webmvc/templates/configmap.yaml:2 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webmvc/templates/deployment.yaml:24 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webmvc/templates/ingress-dockerk8s.yaml:2 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webmvc/templates/ingress.yaml:2 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webmvc/templates/service.yaml:4 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webshoppingagg/templates/configmap.yaml:2 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webshoppingagg/templates/deployment.yaml:23 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webshoppingagg/templates/service.yaml:4 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webspa/templates/configmap.yaml:2 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webspa/templates/deployment.yaml:24 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webspa/templates/ingress.yaml:2 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/helm/webspa/templates/service.yaml:4 include-not-followed
	# values set at install time (-f app.yaml/inf.yaml): template left out with an info naming the value (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/nginx-ingress/local-dockerk8s/mvc-fix.yaml:10 missing-body-size-limit
	# class nginx, no proxy-body-size annotation, controller ConfigMap sets only buffers (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/nginx-ingress/local-dockerk8s/mvc-fix.yaml:34 missing-body-size-limit
	# class nginx, no proxy-body-size annotation, controller ConfigMap sets only buffers (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/nginx-ingress/mandatory.yaml:191 missing-memory-limit
	# ingress-nginx 0.20.0 controller: no resources, no preStop, behind LoadBalancer Service local-svc.yaml (checked by hand)
dotnet-architecture__eShopOnContainers/deploy/k8s/nginx-ingress/mandatory.yaml:191 missing-prestop-drain
	# ingress-nginx 0.20.0 controller: no resources, no preStop, behind LoadBalancer Service local-svc.yaml (checked by hand)
goauthentik__helm/charts/authentik/templates/worker/deployment.yaml:49 include-not-followed
	# worker template includes a helper of the missing dependency serviceAccount: left out with an info (checked by hand)
goauthentik__helm/charts/authentik/values.yaml:369 missing-memory-limit
	# server.resources: {} reaches the server Deployment (checked by hand)
`

// TestKubernetesCorpus lints every corpus repository that holds
// Kubernetes manifests and compares the findings on those manifests with
// the pinned list: nothing unexpected, nothing missing, no parse errors.
func TestKubernetesCorpus(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	files := 0
	for _, e := range entries {
		if !e.IsDir() || renderCorpusRepos[e.Name()] {
			continue // the render corpus is pinned by TestRenderCorpus
		}
		dir := filepath.Join(corpus, e.Name())
		g, err := topology.Load([]string{"."}, nil, dir)
		if err != nil {
			t.Fatal(err)
		}
		k8s := map[string]bool{}
		for _, f := range g.Files {
			if f.Format == parsers.FormatKubernetes {
				k8s[f.Path] = true
				files++
			}
		}
		if len(k8s) == 0 {
			continue
		}
		for _, f := range rules.Run(g, nil, rules.Options{}) {
			if !k8s[f.Range.File] {
				continue
			}
			if f.Rule == "parse-error" {
				t.Errorf("%s/%s: parse error: %s", e.Name(), f.Range, f.Message)
			}
			got = append(got, fmt.Sprintf("%s/%s:%d %s", e.Name(), f.Range.File, f.Range.Start.Line, f.Rule))
		}
	}
	if files < 25 {
		t.Errorf("only %d Kubernetes files found in the corpus; is classification broken?", files)
	}
	var want []string
	for _, l := range strings.Split(corpusKubernetesFindings, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("corpus findings changed; check each by hand, then update the list.\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
