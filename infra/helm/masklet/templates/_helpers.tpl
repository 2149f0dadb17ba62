{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "masklet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: release-chart unless the release name already contains the chart name. */}}
{{- define "masklet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "masklet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels. */}}
{{- define "masklet.labels" -}}
helm.sh/chart: {{ include "masklet.chart" . }}
{{ include "masklet.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: masklet
{{- end }}

{{/* Selector labels (without component). */}}
{{- define "masklet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "masklet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "masklet.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "masklet.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image of api / migrate. */}}
{{- define "masklet.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Image of workers: worker.image when set (e.g. the CUDA build), else image. */}}
{{- define "masklet.workerImage" -}}
{{- $repo := default .Values.image.repository .Values.worker.image.repository }}
{{- $tag := default (default .Chart.AppVersion .Values.image.tag) .Values.worker.image.tag }}
{{- printf "%s:%s" $repo $tag }}
{{- end }}

{{/* Name of the Secret holding DATABASE_URL, REDIS_URL and S3 credentials. */}}
{{- define "masklet.secretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else }}
{{- printf "%s-secrets" (include "masklet.fullname" .) }}
{{- end }}
{{- end }}

{{- define "masklet.configMapName" -}}
{{- printf "%s-config" (include "masklet.fullname" .) }}
{{- end }}

{{/* MASKLET_MODELS: the installed models' manifests, comma-separated; empty when the image's reference model is used. */}}
{{- define "masklet.modelManifests" -}}
{{- $paths := list }}
{{- range .Values.model.installed }}
{{- $paths = append $paths (printf "%s/%s/%s" (trimSuffix "/" $.Values.model.mountPath) . $.Values.model.manifest) }}
{{- end }}
{{- join "," $paths }}
{{- end }}

{{/* The default model's name: model.default, else the first installed, else the image's reference model. */}}
{{- define "masklet.defaultModel" -}}
{{- $installed := .Values.model.installed | default (list "masklet-reference") }}
{{- $default := .Values.model.default | default (first $installed) }}
{{- if not (has $default $installed) }}
{{- fail (printf "model.default %q is not installed (model.installed: %s)" $default (join ", " $installed)) }}
{{- end }}
{{- $default }}
{{- end }}

{{/* Models a pool (dict root, pool) serves, comma-separated: pool.models, else the default model. */}}
{{- define "masklet.poolModels" -}}
{{- $installed := .root.Values.model.installed | default (list "masklet-reference") }}
{{- range .pool.models }}
{{- if not (has . $installed) }}
{{- fail (printf "worker.pools %s: model %q is not installed (model.installed: %s)" $.pool.name . (join ", " $installed)) }}
{{- end }}
{{- end }}
{{- if .pool.models }}
{{- join "," .pool.models }}
{{- else }}
{{- include "masklet.defaultModel" .root }}
{{- end }}
{{- end }}

{{/* Queue names a pool (dict root, pool) consumes, comma-separated: its kinds, segment and preview as segment.<model> and preview.<model> per model. */}}
{{- define "masklet.poolQueueNames" -}}
{{- $names := list }}
{{- range .pool.queues }}
{{- if not (has . (list "ingest" "segment" "export" "webhook" "preview")) }}
{{- fail (printf "worker.pools %s: unknown queue %q (ingest, segment, export, webhook, preview)" $.pool.name .) }}
{{- end }}
{{- if eq . "segment" }}
{{- range splitList "," (include "masklet.poolModels" $) }}
{{- $names = append $names (printf "segment.%s" .) }}
{{- end }}
{{- else if eq . "preview" }}
{{- range splitList "," (include "masklet.poolModels" $) }}
{{- $names = append $names (printf "preview.%s" .) }}
{{- end }}
{{- else }}
{{- $names = append $names . }}
{{- end }}
{{- end }}
{{- join "," $names }}
{{- end }}

{{/* PromQL regex matching exactly a pool's queue names (dots escaped for the regex and the PromQL string). */}}
{{- define "masklet.poolQueueRegex" -}}
{{- $quoted := list }}
{{- range splitList "," (include "masklet.poolQueueNames" .) }}
{{- $quoted = append $quoted (regexQuoteMeta . | replace "\\" "\\\\") }}
{{- end }}
{{- join "|" $quoted }}
{{- end }}

{{/* Environment from the Secret (secretKeyRef per variable) plus the installed models and the Redis Sentinels. */}}
{{- define "masklet.secretEnv" -}}
{{- $secret := include "masklet.secretName" . }}
{{- $optional := .Values.secrets.optionalKeys }}
{{- range $env, $key := .Values.secrets.keys }}
- name: {{ $env }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
      {{- if has $env $optional }}
      optional: true
      {{- end }}
{{- end }}
{{- with include "masklet.modelManifests" . }}
- name: MASKLET_MODELS
  value: {{ . | quote }}
- name: MASKLET_DEFAULT_MODEL
  value: {{ include "masklet.defaultModel" $ | quote }}
{{- end }}
{{- if .Values.redis.sentinel.enabled }}
{{- if .Values.redis.enabled }}
{{- fail "redis.sentinel.enabled needs an external Sentinel-managed Redis: set redis.enabled to false" }}
{{- end }}
- name: REDIS_SENTINELS
  value: {{ required "redis.sentinel.sentinels lists the Sentinels (host:port) when redis.sentinel.enabled" (join "," .Values.redis.sentinel.sentinels) | quote }}
- name: REDIS_SENTINEL_NAME
  value: {{ required "redis.sentinel.masterName is required when redis.sentinel.enabled" .Values.redis.sentinel.masterName | quote }}
{{- end }}
{{- end }}

{{/* Volume of the model exports (none when model.volume.type is none). */}}
{{- define "masklet.modelVolume" -}}
{{- if eq .Values.model.volume.type "pvc" }}
- name: models
  persistentVolumeClaim:
    claimName: {{ required "model.volume.existingClaim is required when model.volume.type is pvc" .Values.model.volume.existingClaim }}
    readOnly: true
{{- else if eq .Values.model.volume.type "hostPath" }}
- name: models
  hostPath:
    path: {{ required "model.volume.hostPath is required when model.volume.type is hostPath" .Values.model.volume.hostPath }}
    type: Directory
{{- else if ne .Values.model.volume.type "none" }}
{{- fail (printf "model.volume.type must be none, pvc or hostPath (got %q)" .Values.model.volume.type) }}
{{- end }}
{{- end }}

{{- define "masklet.modelVolumeMount" -}}
{{- if ne .Values.model.volume.type "none" }}
- name: models
  mountPath: {{ .Values.model.mountPath }}
  readOnly: true
{{- end }}
{{- end }}

{{/* Egress every component needs when egress is restricted: DNS and the configured data services. */}}
{{- define "masklet.egressBase" -}}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- with .Values.networkPolicy.dataServices }}
- to:
    {{- toYaml .to | nindent 4 }}
  ports:
    {{- range .ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end }}
{{- if .Values.redis.enabled }}
- to:
    - podSelector:
        matchLabels:
          {{- include "masklet.selectorLabels" . | nindent 10 }}
          app.kubernetes.io/component: redis
  ports:
    - port: 6379
      protocol: TCP
{{- end }}
{{- end }}
