using System.Text;

namespace Aurous.Client.Serialization;

internal static class SnakeCase
{
    /// <summary>"HairColor" -> "hair_color"; matches System.Text.Json's SnakeCaseLower for the names this client uses.</summary>
    public static string From(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
