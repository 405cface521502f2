//! Name pools: the vocabulary a seeded system is built from. A system belongs to one
//! business domain (shop, banking, travel, streaming, logistics); each domain names its
//! public routes, its services (several candidate names per role), its entities and
//! their fields, and its tables. Third parties, regions, tenants, cohorts and client
//! apps are shared pools. Keeping all names here makes it easy to check that none of
//! them gives a scenario away.

/// The public endpoints every system exposes, in a fixed order (index into
/// `DomainDef::routes`). Their methods are fixed; their routes are the domain's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum EpKind {
    Search,
    ItemGet,
    BasketGet,
    BasketAdd,
    Promo,
    Checkout,
    OrderGet,
    OrderList,
    Me,
    MeUpdate,
    Nearby,
    ClientEvents,
    OrderCancel,
    Report,
}

impl EpKind {
    pub(crate) const ALL: [EpKind; 14] = [
        EpKind::Search,
        EpKind::ItemGet,
        EpKind::BasketGet,
        EpKind::BasketAdd,
        EpKind::Promo,
        EpKind::Checkout,
        EpKind::OrderGet,
        EpKind::OrderList,
        EpKind::Me,
        EpKind::MeUpdate,
        EpKind::Nearby,
        EpKind::ClientEvents,
        EpKind::OrderCancel,
        EpKind::Report,
    ];

    pub(crate) fn method(self) -> &'static str {
        match self {
            EpKind::BasketAdd
            | EpKind::Promo
            | EpKind::Checkout
            | EpKind::ClientEvents
            | EpKind::OrderCancel => "POST",
            EpKind::MeUpdate => "PUT",
            _ => "GET",
        }
    }

    /// Relative popularity in the traffic mix.
    pub(crate) fn weight(self) -> f64 {
        match self {
            EpKind::Search => 18.0,
            EpKind::ItemGet => 25.0,
            EpKind::BasketGet => 10.0,
            EpKind::BasketAdd => 8.0,
            EpKind::Promo => 3.0,
            EpKind::Checkout => 4.5,
            EpKind::OrderGet => 8.0,
            EpKind::OrderList => 6.0,
            EpKind::Me => 8.0,
            EpKind::MeUpdate => 1.5,
            EpKind::Nearby => 3.0,
            EpKind::ClientEvents => 3.0,
            EpKind::OrderCancel => 1.2,
            EpKind::Report => 0.8,
        }
    }

    /// Whether the endpoint needs the caller's token introspected by the auth service.
    pub(crate) fn authenticated_write(self) -> bool {
        matches!(
            self,
            EpKind::BasketAdd
                | EpKind::Promo
                | EpKind::Checkout
                | EpKind::MeUpdate
                | EpKind::OrderCancel
        )
    }
}

/// Service roles; several roles may be served by one service in small systems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    Catalog,
    Basket,
    Orders,
    Payments,
    Inventory,
    Accounts,
    Search,
    Notifications,
    Pricing,
    Reporting,
    Auth,
}

impl Role {
    pub(crate) const ALL: [Role; 11] = [
        Role::Catalog,
        Role::Basket,
        Role::Orders,
        Role::Payments,
        Role::Inventory,
        Role::Accounts,
        Role::Search,
        Role::Notifications,
        Role::Pricing,
        Role::Reporting,
        Role::Auth,
    ];

    pub(crate) fn index(self) -> usize {
        Role::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }
}

/// Third-party kinds; they appear only as client-span targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExtKind {
    Psp,
    Fraud,
    Email,
    Maps,
    Fx,
}

/// Database groups (which roles share a database).
pub(crate) const DB_GROUPS: usize = 4;

pub(crate) fn db_group(role: Role) -> usize {
    match role {
        Role::Catalog | Role::Search | Role::Inventory | Role::Pricing => 0,
        Role::Basket | Role::Orders | Role::Reporting => 1,
        Role::Payments => 2,
        Role::Accounts | Role::Auth | Role::Notifications => 3,
    }
}

/// One business domain's vocabulary.
#[derive(Debug)]
pub(crate) struct DomainDef {
    pub key: &'static str,
    pub brand_words: &'static [&'static str],
    pub app_suffix: &'static str,
    pub routes: [&'static str; 14],
    pub edge_names: &'static [&'static str],
    pub role_names: [&'static [&'static str]; 11],
    pub db_prefixes: [&'static str; DB_GROUPS],
    pub item: &'static str,
    pub item_id: &'static str,
    pub item_prefix: &'static str,
    pub basket: &'static str,
    pub order: &'static str,
    pub order_prefix: &'static str,
    pub profile: &'static str,
    pub place: &'static str,
    pub report: &'static str,
    pub money_field: &'static str,
    pub money_renamed: &'static str,
    pub enum_field: &'static str,
    pub enum_values: &'static [&'static str],
    pub status_values: &'static [&'static str],
    pub tables: [&'static str; 8],
    pub search_terms: &'static [&'static str],
    pub promo_codes: &'static [&'static str],
    pub flag_names: &'static [&'static str],
}

/// Indices into `DomainDef::tables`.
pub(crate) mod table {
    pub const ITEMS: usize = 0;
    pub const BASKETS: usize = 1;
    pub const BASKET_LINES: usize = 2;
    pub const ORDERS: usize = 3;
    pub const CUSTOMERS: usize = 4;
    pub const COUPONS: usize = 5;
    pub const STOCK: usize = 6;
    pub const PAYMENTS: usize = 7;
}

pub(crate) static DOMAINS: [DomainDef; 5] = [
    DomainDef {
        key: "shop",
        brand_words: &["shop", "store", "market", "mart"],
        app_suffix: "Shop",
        routes: [
            "/v1/products",
            "/v1/products/{productId}",
            "/v1/cart",
            "/v1/cart/items",
            "/v1/cart/coupons",
            "/v1/checkout",
            "/v1/orders/{orderId}",
            "/v1/orders",
            "/v1/me",
            "/v1/me/address",
            "/v1/stores/nearby",
            "/v1/client-events",
            "/v1/orders/{orderId}/cancel",
            "/v1/admin/reports/sales",
        ],
        edge_names: &[
            "api-gateway",
            "edge-gateway",
            "storefront-bff",
            "bff-mobile",
            "public-api",
        ],
        role_names: [
            &["catalog", "catalog-svc", "product-service", "products-api"],
            &["cart", "cart-svc", "basket-service", "cart-api"],
            &["orders", "order-service", "checkout-api", "orders-api"],
            &["payments", "payment-svc", "billing-api", "payments-core"],
            &["inventory", "stock-svc", "inventory-service"],
            &[
                "accounts",
                "customer-service",
                "profile-svc",
                "customers-api",
            ],
            &["search", "search-api", "discovery-svc"],
            &["notifications", "notify-svc", "messaging"],
            &["pricing", "price-engine", "pricing-svc"],
            &["reporting", "analytics-api", "reports-svc"],
            &["auth", "identity", "auth-svc", "token-service"],
        ],
        db_prefixes: ["catalog", "orders", "payments", "customers"],
        item: "Product",
        item_id: "productId",
        item_prefix: "prd",
        basket: "Cart",
        order: "Order",
        order_prefix: "ord",
        profile: "Customer",
        place: "Store",
        report: "SalesReport",
        money_field: "price",
        money_renamed: "unitPrice",
        enum_field: "availability",
        enum_values: &["IN_STOCK", "LOW_STOCK", "OUT_OF_STOCK"],
        status_values: &["PENDING", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED"],
        tables: [
            "products",
            "carts",
            "cart_items",
            "orders",
            "customers",
            "coupons",
            "stock_levels",
            "payments",
        ],
        search_terms: &[
            "running shoes",
            "usb-c cable",
            "coffee grinder",
            "desk lamp",
            "rain jacket",
            "headphones",
        ],
        promo_codes: &["WELCOME10", "SPRING25", "FREESHIP", "VIP15", "BLACKFRI"],
        flag_names: &[
            "new-pricing-engine",
            "one-click-checkout",
            "bundle-discounts",
            "saved-carts-v2",
        ],
    },
    DomainDef {
        key: "banking",
        brand_words: &["bank", "finance", "money", "pay"],
        app_suffix: "Bank",
        routes: [
            "/v2/accounts",
            "/v2/accounts/{accountId}",
            "/v2/payees",
            "/v2/payees/items",
            "/v2/transfers/promotions",
            "/v2/transfers",
            "/v2/transfers/{transferId}",
            "/v2/transfers",
            "/v2/me",
            "/v2/me/contact",
            "/v2/atms/nearby",
            "/v2/client-events",
            "/v2/transfers/{transferId}/cancel",
            "/v2/admin/statements/export",
        ],
        edge_names: &[
            "api-gateway",
            "mobile-banking-bff",
            "edge-gw",
            "open-api-gateway",
        ],
        role_names: [
            &["accounts-api", "account-service", "core-accounts"],
            &["payees", "payee-service", "beneficiaries-api"],
            &["transfers", "transfer-service", "payments-orchestrator"],
            &["ledger-svc", "ledger", "posting-engine"],
            &["limits", "limits-svc", "risk-limits"],
            &["customers", "customer-profile", "kyc-profile"],
            &["txn-search", "search-api", "statements-search"],
            &["notifications", "alerts-svc", "messaging"],
            &["fx-rates", "fx-service", "pricing"],
            &["statements", "reporting", "exports-svc"],
            &["auth", "identity", "sca-service"],
        ],
        db_prefixes: ["core", "transfers", "ledger", "customers"],
        item: "Account",
        item_id: "accountId",
        item_prefix: "acc",
        basket: "Payee",
        order: "Transfer",
        order_prefix: "trf",
        profile: "Customer",
        place: "Atm",
        report: "Statement",
        money_field: "balance",
        money_renamed: "availableBalance",
        enum_field: "accountType",
        enum_values: &["CURRENT", "SAVINGS", "CREDIT"],
        status_values: &["PENDING", "BOOKED", "REJECTED", "RETURNED"],
        tables: [
            "accounts",
            "payee_lists",
            "payees",
            "transfers",
            "customers",
            "promotions",
            "daily_limits",
            "postings",
        ],
        search_terms: &[
            "rent",
            "salary",
            "groceries",
            "utilities",
            "insurance",
            "travel",
        ],
        promo_codes: &["FXFREE", "WELCOME50", "STUDENT", "PREMIER"],
        flag_names: &[
            "instant-transfers-v2",
            "new-limits-service",
            "payee-verification",
            "sca-exemptions",
        ],
    },
    DomainDef {
        key: "travel",
        brand_words: &["trips", "travel", "fly", "go"],
        app_suffix: "Trips",
        routes: [
            "/api/flights/search",
            "/api/flights/{flightId}",
            "/api/trips/current",
            "/api/trips/current/segments",
            "/api/trips/current/vouchers",
            "/api/bookings",
            "/api/bookings/{bookingId}",
            "/api/bookings/history",
            "/api/profile",
            "/api/profile/passport",
            "/api/airports/nearby",
            "/api/client-events",
            "/api/bookings/{bookingId}/cancel",
            "/api/admin/reports/bookings",
        ],
        edge_names: &["api-gateway", "booking-bff", "edge-gateway", "bff-web"],
        role_names: [
            &["flights", "flight-catalog", "schedules-svc"],
            &["trips", "trip-builder", "itinerary-svc"],
            &["bookings", "booking-service", "reservations-api"],
            &["payments", "payment-svc", "billing"],
            &["seatmap", "availability", "seats-svc"],
            &["travellers", "profile-svc", "loyalty"],
            &["fare-search", "search", "shopping-api"],
            &["notifications", "itinerary-mailer", "messaging"],
            &["fares", "pricing", "fare-engine"],
            &["reporting", "agency-reports", "analytics-api"],
            &["auth", "identity", "sso-svc"],
        ],
        db_prefixes: ["schedules", "bookings", "payments", "travellers"],
        item: "Flight",
        item_id: "flightId",
        item_prefix: "flt",
        basket: "Trip",
        order: "Booking",
        order_prefix: "bkg",
        profile: "Traveller",
        place: "Airport",
        report: "BookingReport",
        money_field: "fare",
        money_renamed: "totalFare",
        enum_field: "cabin",
        enum_values: &["ECONOMY", "PREMIUM", "BUSINESS"],
        status_values: &["HELD", "TICKETED", "CHANGED", "CANCELLED"],
        tables: [
            "flights",
            "trips",
            "trip_segments",
            "bookings",
            "travellers",
            "vouchers",
            "seat_inventory",
            "payments",
        ],
        search_terms: &[
            "LHR-JFK", "CDG-BCN", "SFO-NRT", "AMS-LIS", "SYD-MEL", "FRA-DXB",
        ],
        promo_codes: &["SUMMER24", "WEEKEND", "LOYAL10", "EARLYBIRD"],
        flag_names: &[
            "dynamic-bundles",
            "seat-upsell-v3",
            "new-fare-rules",
            "split-payments",
        ],
    },
    DomainDef {
        key: "streaming",
        brand_words: &["tv", "play", "stream", "flix"],
        app_suffix: "TV",
        routes: [
            "/v1/titles",
            "/v1/titles/{titleId}",
            "/v1/watchlist",
            "/v1/watchlist/items",
            "/v1/subscriptions/promo-codes",
            "/v1/subscriptions",
            "/v1/subscriptions/{subscriptionId}",
            "/v1/playback/history",
            "/v1/profile",
            "/v1/profile/parental-controls",
            "/v1/geo/availability",
            "/v1/client-events",
            "/v1/subscriptions/{subscriptionId}/cancel",
            "/v1/admin/reports/engagement",
        ],
        edge_names: &["api-gateway", "bff-tv", "bff-mobile", "edge-api"],
        role_names: [
            &["titles", "catalog", "metadata-svc"],
            &["watchlist", "mylist-svc", "collections"],
            &["subscriptions", "subscription-service", "plans-api"],
            &["billing", "payments", "billing-svc"],
            &["entitlements", "rights-svc", "licensing"],
            &["profiles", "account-service", "household-svc"],
            &["discovery", "search", "browse-api"],
            &["notifications", "push-svc", "messaging"],
            &["offers", "pricing", "promo-engine"],
            &["reporting", "engagement-api", "insights-svc"],
            &["auth", "identity", "device-auth"],
        ],
        db_prefixes: ["metadata", "subscriptions", "billing", "profiles"],
        item: "Title",
        item_id: "titleId",
        item_prefix: "ttl",
        basket: "Watchlist",
        order: "Subscription",
        order_prefix: "sub",
        profile: "Profile",
        place: "Availability",
        report: "EngagementReport",
        money_field: "price",
        money_renamed: "monthlyPrice",
        enum_field: "maturityRating",
        enum_values: &["G", "PG", "PG13", "R"],
        status_values: &["TRIAL", "ACTIVE", "PAST_DUE", "CANCELLED"],
        tables: [
            "titles",
            "watchlists",
            "watchlist_items",
            "subscriptions",
            "profiles",
            "promo_codes",
            "entitlements",
            "invoices",
        ],
        search_terms: &[
            "documentary",
            "thriller",
            "kids",
            "anime",
            "comedy",
            "live sport",
        ],
        promo_codes: &["FREEMONTH", "ANNUAL20", "FAMILY", "STUDENT50"],
        flag_names: &[
            "ad-tier-checkout",
            "new-recs-rail",
            "household-sharing",
            "offline-v2",
        ],
    },
    DomainDef {
        key: "logistics",
        brand_words: &["ship", "freight", "parcel", "post"],
        app_suffix: "Ship",
        routes: [
            "/v1/shipments",
            "/v1/shipments/{shipmentId}",
            "/v1/pickups/draft",
            "/v1/pickups/draft/parcels",
            "/v1/rates/discount-codes",
            "/v1/pickups",
            "/v1/pickups/{pickupId}",
            "/v1/invoices",
            "/v1/account",
            "/v1/account/billing-address",
            "/v1/depots/nearby",
            "/v1/client-events",
            "/v1/pickups/{pickupId}/cancel",
            "/v1/admin/reports/volumes",
        ],
        edge_names: &["api-gateway", "shipper-bff", "edge-gateway", "public-api"],
        role_names: [
            &["shipments", "shipment-service", "tracking-api"],
            &["pickup-planner", "draft-svc", "consignments"],
            &["pickups", "pickup-service", "dispatch-api"],
            &["invoicing", "billing", "payments"],
            &["fleet", "slots-svc", "route-planner"],
            &["shippers", "shipper-profile", "customers"],
            &["tracking-search", "search", "lookup-api"],
            &["notifications", "notify-svc", "messaging"],
            &["rates", "rating-engine", "tariffs"],
            &["reporting", "volumes-api", "analytics"],
            &["auth", "identity", "auth-svc"],
        ],
        db_prefixes: ["tracking", "dispatch", "billing", "shippers"],
        item: "Shipment",
        item_id: "shipmentId",
        item_prefix: "shp",
        basket: "PickupDraft",
        order: "Pickup",
        order_prefix: "pku",
        profile: "Shipper",
        place: "Depot",
        report: "VolumeReport",
        money_field: "rate",
        money_renamed: "quotedRate",
        enum_field: "serviceLevel",
        enum_values: &["STANDARD", "EXPRESS", "SAME_DAY"],
        status_values: &[
            "SCHEDULED",
            "COLLECTED",
            "IN_TRANSIT",
            "DELIVERED",
            "CANCELLED",
        ],
        tables: [
            "shipments",
            "pickup_drafts",
            "draft_parcels",
            "pickups",
            "shippers",
            "discount_codes",
            "vehicle_slots",
            "invoices",
        ],
        search_terms: &[
            "1Z999AA10123456784",
            "JD014600006281",
            "00340434161094",
            "RR123456785GB",
        ],
        promo_codes: &["BULK10", "NEWSHIPPER", "Q4VOLUME", "PARTNER5"],
        flag_names: &[
            "smart-slotting",
            "new-rating-engine",
            "multi-parcel-v2",
            "eco-routing",
        ],
    },
];

/// Companies (used for hosts, Java packages and app names).
pub(crate) const COMPANIES: &[&str] = &[
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "vandelay",
    "wonka",
    "stark",
    "tyrell",
    "soylent",
    "oscorp",
    "aperture",
    "monarch",
    "contoso",
    "fabrikam",
    "northwind",
];

/// Candidate third-party names per kind (peer.service; host is `api.<name>.example`).
pub(crate) fn external_names(kind: ExtKind) -> &'static [&'static str] {
    match kind {
        ExtKind::Psp => &[
            "paystream",
            "payflow",
            "cardhub",
            "stripe-like",
            "paygrid",
            "clearpay-hub",
        ],
        ExtKind::Fraud => &["fraudguard", "riskscore", "sentinel-risk", "trustcheck"],
        ExtKind::Email => &["mailrelay", "sendwave", "postbird", "notifyhub"],
        ExtKind::Maps => &["geoapi", "mapgrid", "placeindex", "locatr"],
        ExtKind::Fx => &["ratesfeed", "fxquote", "openrates", "xrate-hub"],
    }
}

/// Cache host names (`{key}` is the domain key).
pub(crate) const CACHE_NAMES: &[&str] = &[
    "redis-cache",
    "cache-redis",
    "{key}-redis",
    "session-redis",
    "redis-main",
];

/// Database host suffixes.
pub(crate) const DB_SUFFIXES: &[&str] = &["db", "pg", "postgres", "pg-primary"];

/// Cloud regions and the first octets of their clients' addresses.
pub(crate) const REGIONS: &[(&str, [u8; 2])] = &[
    ("eu-west-1", [81, 2]),
    ("us-east-1", [73, 15]),
    ("ap-southeast-2", [101, 160]),
    ("eu-central-1", [91, 64]),
    ("us-west-2", [67, 188]),
    ("ap-northeast-1", [126, 33]),
    ("sa-east-1", [177, 92]),
];

/// Tenant ids.
pub(crate) const TENANTS: &[&str] = &[
    "northwind",
    "contoso",
    "fabrikam",
    "tailspin",
    "adventure-works",
    "woodgrove",
    "litware",
    "proseware",
    "wingtip",
    "lucerne",
    "alpine-ski",
    "blue-yonder",
    "coho-vineyard",
    "margies",
    "trey-research",
    "wide-world",
    "datum",
    "fourth-coffee",
    "graphic-design",
    "relecloud",
];

/// Release cohorts (`app.cohort`).
pub(crate) const COHORTS: &[(&str, f64)] =
    &[("stable", 0.78), ("beta", 0.14), ("early-access", 0.08)];

/// User roles (`enduser.role`).
pub(crate) const USER_ROLES: &[(&str, f64)] = &[("owner", 0.62), ("member", 0.31), ("admin", 0.07)];

/// Desktop and mobile browsers.
pub(crate) const BROWSERS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
];

/// iOS devices and OS versions.
pub(crate) const IOS: &[(&str, &str)] = &[
    ("17.2", "iPhone15,3"),
    ("17.5", "iPhone14,2"),
    ("18.1", "iPhone16,1"),
];

/// Android devices and OS versions.
pub(crate) const ANDROID: &[(&str, &str)] =
    &[("14", "Pixel 8"), ("13", "SM-S911B"), ("14", "SM-A546B")];

/// Kubernetes namespaces.
pub(crate) const NAMESPACES: &[&str] = &["prod", "production", "apps", "platform", "{key}-prod"];

/// Environment names (`deployment.environment.name`).
pub(crate) const ENVIRONMENTS: &[&str] = &["production", "prod", "prd"];
