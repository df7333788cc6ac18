//! Orders from a CSV file (Dropdock's template): a preview stores nothing and lists the rows it
//! cannot read; the import stores the rest; importing the same file again changes nothing; an
//! edited order counts as "To update"; the imported orders ship like any other.

mod common;

use dropdock_core::model::OrderStatus;
use dropdock_core::stores::csv_import::TEMPLATE_HEADER;
use dropdock_core::ErrorCode;
use dropdock_sandbox::SandboxConfig;

fn file(rows: &[&str]) -> String {
    format!("{}\n{}\n", TEMPLATE_HEADER.join(","), rows.join("\n"))
}

const A: &str = "A-1,2026-11-01T10:00:00Z,paid,USD,29.98,ann@example.com,Ann Lee,Ann Lee,1 High St,,Leeds,,LS1 4DY,GB,,DD-CASE-14,Phone Case,2,14.99,true";
const B1: &str = "A-2,2026-11-02T10:00:00Z,paid,USD,39.98,bo@example.com,Bo Chen,Bo Chen,9 Oak Avenue,,Austin,Texas,78701,US,+1 512 555 0199,DD-MUG-WHT,Ceramic Mug,1,14.99,true";
const B2: &str = "A-2,2026-11-02T10:00:00Z,paid,USD,39.98,bo@example.com,Bo Chen,Bo Chen,9 Oak Avenue,,Austin,Texas,78701,US,+1 512 555 0199,DD-LED-5M,LED Strip,1,24.99,true";
const BAD: &str = "A-3,2026-11-03T10:00:00Z,paid,USD,10.00,cy@example.com,Cy,Cy,3 Rue,,Lyon,,69001,FR,,DD-BAND-42,Band,zero,9.99,true";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_is_previewed_imported_once_and_updated_when_edited() {
    let (_sandbox, dd, _shop, _dir) =
        common::synced_sandbox(SandboxConfig { orders: 5, ..SandboxConfig::default() }).await;
    let text = file(&[A, B1, B2, BAD]);

    let preview = dd.preview_csv_import("Etsy CSV", text.as_bytes()).unwrap();
    assert!(!preview.imported);
    assert_eq!((preview.orders, preview.additions, preview.updates), (2, 2, 0));
    assert_eq!(preview.errors.len(), 1);
    assert_eq!((preview.errors[0].line, preview.errors[0].order.as_deref()), (5, Some("#A-3")));
    assert!(preview.errors[0].reason.contains("quantity 'zero'"), "{:?}", preview.errors);
    assert_eq!(preview.line, "Preview: Total additions 2, To update 0, fail 1");
    assert!(dd.store_by_name("Etsy CSV").is_err(), "a preview stores nothing");

    let imported = dd.import_csv("Etsy CSV", text.as_bytes()).unwrap();
    assert_eq!((imported.additions, imported.updates, imported.errors.len()), (2, 0, 1));
    assert!(
        imported.line.starts_with("Import ")
            && imported.line.ends_with(" partial, Plan execution: Total additions 2, To update 0, fail 1"),
        "{}",
        imported.line
    );
    let store = dd.store_by_name("Etsy CSV").unwrap();
    assert_eq!((store.platform.as_str(), store.order_count), ("csv", 2));
    let two_items = dd.order_detail(dd.order_id_by_name("#A-2").unwrap()).unwrap();
    assert_eq!(two_items.line_items.len(), 2);
    assert_eq!(two_items.order.status, OrderStatus::ToOrder);

    // The same file again: nothing changes. One order edited: To update 1.
    let again = dd.import_csv("Etsy CSV", text.as_bytes()).unwrap();
    assert_eq!((again.additions, again.updates, again.unchanged), (0, 0, 2), "{}", again.line);
    let edited = file(&[&A.replace("ann@example.com", "ann.lee@example.com"), B1, B2]);
    assert_eq!(dd.preview_csv_import("Etsy CSV", edited.as_bytes()).unwrap().updates, 1);
    let updated = dd.import_csv("Etsy CSV", edited.as_bytes()).unwrap();
    assert_eq!((updated.additions, updated.updates, updated.unchanged), (0, 1, 1), "{}", updated.line);
    assert!(updated.line.contains(" complete, "), "{}", updated.line);

    // Imported orders ship like synced ones; a CSV store is not synced, and names stay unique.
    let shipped = dd.ship(dd.order_id_by_name("#A-2").unwrap()).await.unwrap();
    assert!(shipped.sub_orders.iter().all(|s| s.state == "paid"), "{shipped:?}");
    let sync = dd.sync(store.id, 7).await.unwrap_err();
    assert!(sync.to_string().contains("import the file again"), "{sync}");
    let taken = dd.import_csv("Demo Shopify store", text.as_bytes()).unwrap_err();
    assert_eq!(taken.code(), ErrorCode::InvalidInput);
}
