//! `$select`: keep only the listed properties of each object in a reply
//! (<https://learn.microsoft.com/en-us/graph/query-parameters#select-parameter>).
//!
//! This is the one place the face goes through `serde_json::Value`; replies without `$select`
//! serialize straight from their structs.

use serde::Serialize;
use serde_json::{Map, Value};

/// `object` with only the properties in `names` (case-insensitively) and its OData annotations.
pub(crate) fn select<T: Serialize>(object: &T, names: &[String]) -> Value {
    match serde_json::to_value(object) {
        Ok(Value::Object(map)) => Value::Object(retain(map, names)),
        Ok(other) => other,
        Err(_) => Value::Null,
    }
}

/// A collection whose elements keep only the properties in `names`.
pub(crate) fn select_each<T: Serialize>(collection: &T, names: &[String]) -> Value {
    match serde_json::to_value(collection) {
        Ok(Value::Object(mut map)) => {
            if let Some(Value::Array(elements)) = map.get_mut("value") {
                for element in elements.iter_mut() {
                    if let Value::Object(object) = std::mem::take(element) {
                        *element = Value::Object(retain(object, names));
                    }
                }
            }
            Value::Object(map)
        }
        Ok(other) => other,
        Err(_) => Value::Null,
    }
}

fn retain(map: Map<String, Value>, names: &[String]) -> Map<String, Value> {
    map.into_iter()
        .filter(|(key, _)| {
            key.starts_with("@odata.") || names.iter().any(|n| n.eq_ignore_ascii_case(key))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_selected_properties_and_odata_annotations_remain() {
        let names = vec!["id".to_owned(), "SIZE".to_owned()];
        let object = json!({"@odata.context": "c", "id": "1", "size": 3, "name": "a"});
        assert_eq!(
            select(&object, &names),
            json!({"@odata.context": "c", "id": "1", "size": 3})
        );
        let collection = json!({"@odata.context": "c", "value": [{"id": "1", "name": "a"}]});
        assert_eq!(
            select_each(&collection, &names),
            json!({"@odata.context": "c", "value": [{"id": "1"}]})
        );
    }
}
