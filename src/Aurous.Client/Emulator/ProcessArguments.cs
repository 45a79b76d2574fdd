using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Aurous.Client;

/// <summary>
/// One argument string for ProcessStartInfo.Arguments, which netstandard2.0 has instead of ArgumentList. .NET splits it
/// by the Windows rules on every OS, so quoting by those rules passes each argument through unchanged (a data folder
/// with spaces or quotes in its name included).
/// </summary>
internal static class ProcessArguments
{
    public static string Join(IEnumerable<string> arguments) => string.Join(" ", arguments.Select(Quote));

    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
        {
            return argument;
        }

        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            // Backslashes are literal except before a quote, where each must be doubled and the quote escaped.
            quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
            backslashes = 0;
        }

        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }
}
