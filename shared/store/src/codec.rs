use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Serialize, de::DeserializeOwned};

use crate::error::StoreError;

/// A DynamoDB item as the SDK sees it.
pub type Item = HashMap<String, AttributeValue>;

/// The one place an item type is converted to and from DynamoDB: implement it once per type.
pub trait ItemCodec: Sized {
    fn to_item(&self) -> Result<Item, StoreError>;
    fn from_item(item: Item) -> Result<Self, StoreError>;
}

pub fn to_item<T: Serialize>(value: &T) -> Result<Item, StoreError> {
    serde_dynamo::to_item(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub fn from_item<T: DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// An item made of `value`'s attributes plus its key attributes (`pk`, `sk`, index keys,
/// `kind`). [`from_item`] reads `value` back and ignores them, so an item type needs no
/// mirror struct (serde's `flatten` would lose DynamoDB's number types).
pub fn keyed_item<T: Serialize>(value: &T, keys: &[(&str, &str)]) -> Result<Item, StoreError> {
    let mut item = to_item(value)?;
    for (name, key) in keys {
        item.insert((*name).to_owned(), AttributeValue::S((*key).to_owned()));
    }
    Ok(item)
}

/// A string attribute of an item, when it has one.
pub fn string_attribute<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}

/// A number attribute of an item, when it has one that parses as `T`.
pub fn number_attribute<T: std::str::FromStr>(item: &Item, name: &str) -> Option<T> {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok())
}
