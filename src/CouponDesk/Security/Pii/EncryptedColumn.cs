using System.Text.RegularExpressions;

namespace CouponDesk.Security.Pii;

/// <summary>
/// A table column holding <see cref="EncryptedString"/> values. Features register theirs
/// (<c>services.AddEncryptedColumn("users", "name_enc")</c>) so key rotation re-encrypts every one of them and the
/// retirement check scans them all. The table needs a numeric primary key (named by <paramref name="IdColumn"/>), or a
/// two-part one (<paramref name="IdColumn"/>, <paramref name="SeqColumn"/>: <c>recipient_list_rows (list_id, seq)</c>).
/// A <paramref name="Bound"/> column's values are bound to their place (<see cref="PlaceOf(long)"/>): its writers and readers
/// pass the place, and the rotation re-encrypts its unbound (older) values bound.
/// </summary>
public sealed partial record EncryptedColumn(string Table, string Column, string IdColumn = "id", bool Bound = false, string? SeqColumn = null)
{
    /// <summary>The place of this column's value in row <paramref name="id"/>.</summary>
    public PiiPlace PlaceOf(long id) => SeqColumn is null
        ? PiiPlace.Of(Table, Column, id)
        : throw new InvalidOperationException($"{this} has a two-part key: pass both parts");

    /// <summary>The place of this column's value in the row keyed (<paramref name="id"/>, <paramref name="seq"/>).</summary>
    public PiiPlace PlaceOf(long id, long seq) => SeqColumn is not null
        ? PiiPlace.Of(Table, Column, id, seq)
        : throw new InvalidOperationException($"{this} has a one-part key");

    public EncryptedColumn Validated()
    {
        foreach (var name in new[] { Table, Column, IdColumn, SeqColumn ?? IdColumn })
        {
            if (!Identifier().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not a plain SQL identifier");
            }
        }

        return this;
    }

    public override string ToString() => $"{Table}.{Column}";

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,63}$")]
    private static partial Regex Identifier();
}

public static class EncryptedColumnRegistration
{
    public static IServiceCollection AddEncryptedColumn(this IServiceCollection services, string table, string column, string idColumn = "id", bool bound = false) =>
        services.AddSingleton(new EncryptedColumn(table, column, idColumn, bound).Validated());
}
