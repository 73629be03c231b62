{{- define "env.mm-istio.none" }}

{{- /* routemap */}}
{{ include "env.mm-istio.none.routemap" . }}

{{- end }} {{- /* define "env.mm-istio.none" */}}