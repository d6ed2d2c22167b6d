package parsers

import "bytes"

// maxECSSniff bounds the JSON files searched for the shape of an ECS task
// definition: ten container definitions (the most ECS allows) fit in a
// few KiB, so a larger file is something else (a Terraform plan, a data
// dump), and discovery never scans it.
const maxECSSniff = 64 << 10

// ecsArrayKeys are keys only container definitions have, among the many
// JSON arrays of objects with a name and an image (package lists, image
// catalogues): a bare container-definitions array needs one of them.
var ecsArrayKeys = [][]byte{
	[]byte(`"portMappings"`), []byte(`"essential"`), []byte(`"memoryReservation"`), []byte(`"logConfiguration"`),
	[]byte(`"mountPoints"`), []byte(`"volumesFrom"`), []byte(`"entryPoint"`), []byte(`"stopTimeout"`), []byte(`"dockerLabels"`),
}

// SniffECS reports whether JSON text (templated or not: a CodeDeploy
// taskdef.json writes <SERVICE_PORT> unquoted) is an Amazon ECS task
// definition: an object whose own key containerDefinitions is written at
// the top level, or inside a top-level taskDefinition object (what `aws
// ecs describe-task-definition` prints); or an array of container
// definitions (objects with "name" and "image" and a key only container
// definitions have). Only the first 64 KiB are read.
func SniffECS(data []byte) bool {
	t := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(t) > maxECSSniff {
		return false
	}
	if len(t) == 0 {
		return false
	}
	switch t[0] {
	case '{':
		return topLevelKey(t, "containerDefinitions", "taskDefinition")
	case '[':
		if !bytes.HasPrefix(bytes.TrimSpace(t[1:]), []byte("{")) || !bytes.Contains(t, []byte(`"name"`)) || !bytes.Contains(t, []byte(`"image"`)) {
			return false
		}
		for _, k := range ecsArrayKeys {
			if bytes.Contains(t, k) {
				return true
			}
		}
	}
	return false
}

// topLevelKey reports whether JSON object text has key as a key of the
// object itself (depth 1), or of the object a top-level wrapper key holds
// (depth 2). It scans strings and brackets only, so placeholders between
// values do not matter.
func topLevelKey(t []byte, key, wrapper string) bool {
	depth := 0
	inWrapper := false // depth 2 lies inside the wrapper's object
	lastKey := ""
	for i := 0; i < len(t); i++ {
		switch c := t[i]; c {
		case '"':
			j := i + 1
			for j < len(t) && t[j] != '"' {
				if t[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(t) {
				return false
			}
			s := string(t[i+1 : j])
			k := j + 1
			for k < len(t) && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r' || t[k] == '\n') {
				k++
			}
			if k < len(t) && t[k] == ':' {
				if depth == 1 && s == key || depth == 2 && inWrapper && s == key {
					return true
				}
				if depth == 1 {
					lastKey = s
				}
			}
			i = j
		case '{', '[':
			depth++
			if depth == 2 {
				inWrapper = c == '{' && lastKey == wrapper
			}
		case '}', ']':
			depth--
			if depth < 1 {
				return false
			}
		}
	}
	return false
}
