package rules

// Gateway API examples: an ingress-nginx Ingress and the HTTPRoute that
// replaces it, served by Envoy Gateway.

import "strings"

const migrationIngress = `-- ingress.yaml --
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: "0"
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: shop
                port:
                  number: 80
`

const migrationRoute = `-- gateway.yaml --
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: eg
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: shop
spec:
  gatewayClassName: eg
  listeners:
    - name: http
      protocol: HTTP
      port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: shop
spec:
  parentRefs:
    - name: edge
  hostnames: ["shop.example.com"]
  rules:
    - backendRefs:
        - name: shop
          port: 80
`

// migrationPolicy keeps the Ingress's 60 s timeout and pool on the route.
const migrationPolicy = `---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata:
  name: shop
  namespace: shop
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      name: shop
  timeout:
    http:
      connectionIdleTimeout: 60s
      requestTimeout: 60s
`

func init() {
	migrationParity.Examples = []Example{
		{Name: "the HTTPRoute keeps Envoy Gateway's defaults", Bad: true,
			Archive: strings.Replace(migrationIngress, `    nginx.ingress.kubernetes.io/proxy-body-size: "0"
`, "", 1) + migrationRoute},
		{Name: "a BackendTrafficPolicy keeps the Ingress's timeout and pool", Archive: migrationIngress + migrationRoute + migrationPolicy},
	}
}
