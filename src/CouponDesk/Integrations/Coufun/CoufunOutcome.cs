namespace CouponDesk.Integrations.Coufun;

/// <summary>
/// The closed set callers switch on (spec §8.1–§8.2). Every result code and every transport failure maps to one.
/// </summary>
public enum CoufunOutcome
{
    /// <summary>00 (and 18 on cancel): done.</summary>
    Success,

    /// <summary>Create answered 12/23: this TR_ID was already used; no barcodes come back (the order is in doubt).</summary>
    Duplicate,

    /// <summary>Retry later with backoff, bounded (50, 99, 23 on reads, 09 on the product list, transport failures of safe calls).</summary>
    Transient,

    /// <summary>Stop and show the reason to a person (01, 02, 05, 95, 98; 10/30/31 on create).</summary>
    NeedsPerson,

    /// <summary>A final no for this request: our request was wrong (client error) or the coupon's state refuses it (business rejection).</summary>
    Rejected,

    /// <summary>A code not expected from this endpoint, or not documented: stop and alert.</summary>
    Unknown,

    /// <summary>Create only: the request may have reached COUFUN and no usable answer came back. Carries the TR_ID.</summary>
    InDoubt,
}

/// <summary>The code table's <c>class</c> column (spec data/coufun-result-codes.csv).</summary>
public enum CoufunResultClass
{
    Success,
    Transient,
    ClientError,
    HumanAction,
    BusinessRejection,
    Unknown,
}

/// <summary>The four endpoints, named as the code table names them.</summary>
public enum CoufunApi
{
    Product,
    Create,
    Status,
    Cancel,
}
