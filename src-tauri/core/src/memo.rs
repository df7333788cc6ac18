//! A write's memo: what every order of one write transaction reads alike (the profit settings
//! and exchange rates, Auto Fulfillment's default phone, a supplier's platform and its average
//! postage), read once per transaction instead of once per order.
//!
//! A sync stores a page of orders in one transaction, and working out each order's status,
//! hold and profit read these same rows again for every order (`dropdock-cli bench`, ingest).
//! A memo lives for one transaction, and only while nothing it holds is written in that
//! transaction: [`crate::stores::sync::upsert_page`] makes one per page; a caller that changes
//! settings makes a new one after (as [`crate::orders::profit::refresh_all`] does). It also
//! knows which orders the write inserted, which have no sub-order to read yet.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use rusqlite::Connection;

use crate::error::Result;
use crate::suppliers::SupplierPlatform;

/// See the module doc. `Memo::default()` is empty; every value is read on first use.
#[derive(Default)]
pub struct Memo {
    pricing: RefCell<Option<Rc<crate::orders::profit::Pricing>>>,
    default_phone: RefCell<Option<Option<String>>>,
    platforms: RefCell<HashMap<i64, SupplierPlatform>>,
    postage: RefCell<HashMap<i64, i64>>,
    inserted: RefCell<HashSet<i64>>,
}

impl Memo {
    /// Records that this write inserted the order: no sub-order refers to it yet, so its
    /// planning skips those reads. (Its hold is still read: an import may list one order twice,
    /// and the first copy may have held it.)
    pub(crate) fn record_inserted(&self, order_id: i64) {
        self.inserted.borrow_mut().insert(order_id);
    }

    /// True for an order this write inserted ([`Memo::record_inserted`]).
    pub(crate) fn is_inserted(&self, order_id: i64) -> bool {
        self.inserted.borrow().contains(&order_id)
    }

    /// The profit settings with their exchange rates ([`crate::orders::profit::settings`]).
    pub(crate) fn pricing(&self, conn: &Connection) -> Result<Rc<crate::orders::profit::Pricing>> {
        if let Some(pricing) = self.pricing.borrow().as_ref() {
            return Ok(pricing.clone());
        }
        let pricing = Rc::new(crate::orders::profit::Pricing::read(conn)?);
        *self.pricing.borrow_mut() = Some(pricing.clone());
        Ok(pricing)
    }

    /// Auto Fulfillment's default phone, `None` when unset or blank.
    pub(crate) fn default_phone(&self, conn: &Connection) -> Result<Option<String>> {
        if let Some(phone) = self.default_phone.borrow().as_ref() {
            return Ok(phone.clone());
        }
        let phone = crate::fulfillment::queries::default_phone(conn)?;
        *self.default_phone.borrow_mut() = Some(phone.clone());
        Ok(phone)
    }

    /// A connected supplier's platform. Errors: `NotFound` for an unknown supplier.
    pub(crate) fn supplier_platform(&self, conn: &Connection, supplier_id: i64) -> Result<SupplierPlatform> {
        keyed(&self.platforms, supplier_id, || crate::fulfillment::queries::supplier_platform(conn, supplier_id))
    }

    /// The supplier's average postage over its last 100 charged sub-orders, US cents.
    pub(crate) fn average_postage(&self, conn: &Connection, supplier_id: i64) -> Result<i64> {
        keyed(&self.postage, supplier_id, || crate::wallet::queries::average_postage(conn, supplier_id))
    }
}

/// The value kept for `key`, read with `read` the first time.
fn keyed<V: Copy>(map: &RefCell<HashMap<i64, V>>, key: i64, read: impl FnOnce() -> Result<V>) -> Result<V> {
    if let Some(value) = map.borrow().get(&key) {
        return Ok(*value);
    }
    let value = read()?;
    map.borrow_mut().insert(key, value);
    Ok(value)
}
