{{- define "env.deployment-istio.none" }}

{{- /* routemap */}}
{{ include "env.deployment-istio.none.routemap" . }}

{{- end }} {{- /* define "env.deployment-istio.none" */}}