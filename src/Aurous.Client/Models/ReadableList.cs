using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Aurous.Client;

/// <summary>
/// A read-only list whose text is its items joined by ", ": Export-Csv, "$value" and a table cell show the items
/// instead of the collection's type name, while ConvertTo-Json still writes an array.
/// </summary>
public sealed class ReadableList<T> : ReadOnlyCollection<T>
{
    public ReadableList(IList<T> items)
        : base(items)
    {
    }

    public override string ToString() => string.Join(", ", this);
}
