//! Finance → My Wallet: after 500 sandbox orders are fulfilled from the wallet, the ledger
//! equals the suppliers' charges to the cent, the ledger reconciles with their balances, and the
//! exported invoice CSV's total equals the ledger's; a recharge on the supplier's side that the
//! ledger does not know shows as a difference until it is recorded; the forecast warns before the
//! balance would fall below the Auto Fulfillment threshold.

mod common;

use chrono::{Duration, Utc};
use dropdock_core::model::OrderStatus;
use dropdock_core::orders::search::OrderQuery;
use dropdock_core::wallet::{InvoiceFormat, ManualEntryKind, OPENING_NOTE};
use dropdock_sandbox::SandboxConfig;

/// The sandbox's Printful account: no balance, charged to its billing method.
const PRINTFUL: &str = "Printful (demo)";

fn cents(text: &str) -> i64 {
    let (whole, frac) = text.split_once('.').unwrap();
    let sign = if whole.starts_with('-') { -1 } else { 1 };
    sign * (whole.trim_start_matches('-').parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_orders_leave_a_ledger_equal_to_the_suppliers_charges_and_the_invoice() {
    let (sandbox, dd, _store, dir) =
        common::synced_sandbox(SandboxConfig { orders: 800, restore_rate: 100_000.0, ..SandboxConfig::default() })
            .await;
    for s in dd.suppliers().unwrap() {
        dd.set_supplier_rate_limit(s.id, 1000).unwrap();
    }
    // The ledger opens with each CJ account's balance; Printful has none to reconcile.
    let suppliers = dd.refresh_wallet().await.unwrap();
    let opened: Vec<_> = suppliers.iter().filter(|s| s.balance_minor.is_some()).collect();
    assert_eq!(opened.len(), sandbox.supplier_count());
    let reconciled = dd.wallet_reconciliation().unwrap();
    for r in &reconciled {
        let expected = if r.supplier_name == PRINTFUL { None } else { Some(0) };
        assert_eq!(r.difference_minor, expected, "{r:?}");
    }
    let ledger = dd.wallet_ledger(None, 10).unwrap();
    assert_eq!(ledger.iter().filter(|e| e.note.as_deref() == Some(OPENING_NOTE)).count(), opened.len());

    // A recharge through the sandbox's real call: in the ledger, and the wallet holds enough for 500 orders.
    for s in &opened {
        assert_eq!(dd.recharge_wallet(s.id, 5_000_000).await.unwrap(), None, "the sandbox recharges itself");
    }
    assert!(dd
        .wallet_reconciliation()
        .unwrap()
        .iter()
        .all(|r| r.difference_minor == Some(0) || r.supplier_name == PRINTFUL));
    let recharges = dd.wallet_ledger(None, 100).unwrap().into_iter().filter(|e| e.kind == "recharge").count();
    assert_eq!(recharges, opened.len());

    // 500 orders fulfilled from the wallet.
    let started = Utc::now() - Duration::seconds(1);
    let ids: Vec<i64> = dd
        .query_orders(&OrderQuery { status: Some(OrderStatus::ToOrder), limit: Some(2000), ..Default::default() })
        .unwrap()
        .rows
        .into_iter()
        .filter(|r| r.hold_kind.is_none())
        .map(|r| r.id)
        .take(500)
        .collect();
    assert_eq!(ids.len(), 500);
    let shipped = dd.ship_orders(&ids).await.unwrap();
    assert_eq!(shipped.shipped.len(), 500, "{:?}", shipped.skipped);

    // The ledger's charges equal what the suppliers charged (CJ from the wallet, Printful its
    // billing method), to the cent, one per sub-order.
    let at_suppliers = sandbox.supplier_orders();
    let charged_at_suppliers: i64 =
        at_suppliers.iter().filter(|o| o.paid && !o.paid_by_card && !o.cancelled).map(|o| o.amount_minor).sum();
    let sub_orders = at_suppliers.len();
    assert!(sub_orders >= 500);
    assert!(at_suppliers.iter().any(|o| o.account == PRINTFUL), "some orders split across CJ and Printful");
    let reconciled = dd.wallet_reconciliation().unwrap();
    let ledger_charges: i64 = reconciled.iter().map(|r| r.charged_minor).sum();
    assert_eq!(-ledger_charges, charged_at_suppliers);
    assert_eq!(reconciled.iter().map(|r| r.charges).sum::<i64>() as usize, sub_orders);
    let every_charge =
        dd.wallet_ledger(None, 5000).unwrap().into_iter().filter(|e| e.kind == "charge").collect::<Vec<_>>();
    assert!(
        every_charge.iter().all(|e| e.order_name.is_some() && e.supplier_order_number.is_some()),
        "each charge names its sub-order"
    );
    // And the ledger agrees with the balances the suppliers report.
    dd.refresh_wallet().await.unwrap();
    let reconciled = dd.wallet_reconciliation().unwrap();
    for r in &reconciled {
        if r.supplier_name == PRINTFUL {
            // No balance: nothing to reconcile; its charges are what its billing method paid.
            assert_eq!((r.supplier_balance_minor, r.difference_minor), (None, None), "{r:?}");
            assert_eq!(-r.charged_minor, sandbox.printful().charged_minor());
            continue;
        }
        let i = (0..sandbox.supplier_count()).find(|i| sandbox.supplier(*i).name() == r.supplier_name).unwrap();
        assert_eq!(r.supplier_balance_minor, Some(sandbox.supplier(i).balance_minor()));
        assert_eq!(r.difference_minor, Some(0), "{r:?}");
    }

    // The invoice for the period: one line per charged sub-order; the CSV total equals the ledger.
    let csv_path = dir.path().join("invoices.csv");
    let invoice = dd.export_invoice(started, Utc::now() + Duration::seconds(1), InvoiceFormat::Csv, &csv_path).unwrap();
    assert_eq!(invoice.lines.len(), sub_orders);
    assert_eq!(invoice.total_minor, -ledger_charges);
    assert_eq!(invoice.products_minor + invoice.shipping_minor, invoice.total_minor, "the supplier split every charge");
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let (total_row, lines) = rows.split_last().unwrap();
    assert_eq!(lines.len(), sub_orders);
    assert_eq!(&total_row[0], "Total");
    assert_eq!(cents(&total_row[8]), -ledger_charges, "the CSV's total is the ledger's");
    assert_eq!(lines.iter().map(|r| cents(&r[8])).sum::<i64>(), -ledger_charges, "and so are its lines");
    assert!(
        lines.iter().all(|r| !r[2].is_empty() && !r[4].is_empty() && r[5].contains(" x ")),
        "order, supplier order, items"
    );
    // Paid from My Wallet at CJ, on Printful's own billing method there.
    for r in lines {
        let expected = if &r[3] == PRINTFUL { "billing" } else { "wallet" };
        assert_eq!(&r[9], expected, "{r:?}");
    }
    let pdf_path = dir.path().join("invoices.pdf");
    dd.export_invoice(started, Utc::now() + Duration::seconds(1), InvoiceFormat::Pdf, &pdf_path).unwrap();
    assert!(std::fs::read(&pdf_path).unwrap().starts_with(b"%PDF-"));
    // A path that cannot be written: a clear error, and nothing half-written left behind.
    let bad = dir.path().join("no-such-folder").join("x.csv");
    let err = dd.export_invoice(started, Utc::now(), InvoiceFormat::Csv, &bad).unwrap_err();
    assert_eq!(err.code(), dropdock_core::ErrorCode::File, "{err}");
    assert!(err.to_string().contains("no-such-folder"), "{err}");

    // Money the ledger does not know (a recharge made on the supplier's site): shown as a
    // difference, never hidden, until the merchant records it.
    sandbox.supplier(0).recharge(12_345);
    dd.refresh_wallet().await.unwrap();
    let name0 = sandbox.supplier(0).name();
    let diff = |dd: &dropdock_core::app::Dropdock| {
        dd.wallet_reconciliation().unwrap().into_iter().find(|r| r.supplier_name == name0).unwrap()
    };
    assert_eq!(diff(&dd).difference_minor, Some(12_345));
    let id0 = diff(&dd).supplier_id;
    assert!(dd.record_wallet_entry(id0, ManualEntryKind::Recharge, -5, "").is_err(), "a recharge adds money");
    dd.record_wallet_entry(id0, ManualEntryKind::Recharge, 12_345, "Recharged on CJ").unwrap();
    assert_eq!(diff(&dd).difference_minor, Some(0));

    // Forecast: the orders still waiting, against the balance and the threshold.
    let forecast = dd.wallet_forecast().unwrap();
    assert!(forecast.iter().any(|f| f.orders > 0 && f.to_order_minor > 0), "{forecast:?}");
    let printful = forecast.iter().find(|f| f.supplier_name == PRINTFUL).expect("Printful in the forecast");
    assert!(!printful.has_balance && !printful.below_threshold, "no balance, so never short: {printful:?}");
    let forecast: Vec<_> = forecast.into_iter().filter(|f| f.has_balance).collect();
    for f in &forecast {
        assert_eq!(f.after_minor, f.balance_minor - f.to_order_minor - f.held_minor - f.queued_minor);
        assert_eq!(f.below_threshold, f.after_minor < f.threshold_minor);
        assert!(f.postage_estimate_minor > 0, "postage learnt from the charges");
    }
    // Draining the wallet below the threshold turns the warning on.
    let i = (0..sandbox.supplier_count()).find(|i| sandbox.supplier(*i).name() == forecast[0].supplier_name).unwrap();
    sandbox.supplier(i).recharge(-(sandbox.supplier(i).balance_minor() - 50_000));
    dd.refresh_wallet().await.unwrap();
    let low = dd.wallet_forecast().unwrap().into_iter().find(|f| f.supplier_name == forecast[0].supplier_name).unwrap();
    assert!(low.below_threshold, "{low:?}");
}
