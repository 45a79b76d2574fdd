using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace Aurous.Client;

/// <summary>
/// The review page of Show-AurousCharacter: one standalone HTML file, one row per character (name, id, status,
/// attributes, a picture per pose), a checkbox per pose to regenerate it and one per character to save it, and a
/// script that turns the ticks into the PowerShell lines to paste back. The images are inside the page as data: URIs,
/// since ref URLs expire: the page works offline and keeps working.
/// </summary>
/// <remarks>
/// Names, attributes and everything else from the API are user text: every one is HTML-encoded where it is written,
/// and the Content-Security-Policy lets only the page's own style and script (by nonce) and data: images load, so
/// nothing a name holds can run or fetch anything. The script finds rows by comparing attribute values, never by
/// building selectors or markup from them.
/// </remarks>
public static class ContactSheet
{
    /// <summary>The poses a review shows, in the API's order; Other only when a character has one.</summary>
    private static readonly CharacterPose[] Poses = { CharacterPose.Portrait, CharacterPose.Front, CharacterPose.Side, CharacterPose.Back, CharacterPose.Other };

    /// <summary>Image types browsers show in an img element; others are described, not embedded.</summary>
    private static readonly HashSet<string> Embeddable = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
    };

    /// <summary>The page for <paramref name="characters"/>, in their order, with the <paramref name="images"/> that downloaded.</summary>
    public static string Build(IReadOnlyList<Character> characters, IEnumerable<RefImage> images, DateTimeOffset generatedAt, string? nonce = null)
    {
        if (characters is null || images is null)
        {
            throw new ArgumentNullException(characters is null ? nameof(characters) : nameof(images));
        }

        nonce ??= NewNonce();
        var byRef = images.GroupBy(i => (i.Character.Id, i.Pose)).ToDictionary(g => g.Key, g => g.Last());
        var poses = Poses.Where(p => p != CharacterPose.Other || characters.Any(c => c.Refs.Any(r => RefFiles.PoseOf(r) == p))).ToList();
        string count = characters.Count == 1 ? "1 character" : $"{characters.Count} characters";

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'nonce-").Append(nonce)
            .Append("'; script-src 'nonce-").Append(nonce).Append("'\">\n")
            .Append("<meta name=\"generator\" content=\"Aurous.PowerShell Show-AurousCharacter\">\n")
            .Append("<title>Aurous review: ").Append(count).Append("</title>\n")
            .Append("<style nonce=\"").Append(nonce).Append("\">").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<header><h1>Review ").Append(count).Append("</h1>\n<p>Made <time datetime=\"")
            .Append(Encode(generatedAt.ToString("o", CultureInfo.InvariantCulture))).Append("\">")
            .Append(Encode(generatedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)))
            .Append("</time> by Show-AurousCharacter. Tick the poses to regenerate (1 credit each) and the characters to save (free), ")
            .Append("then copy the commands into PowerShell.</p></header>\n")
            .Append("<main>\n<table id=\"sheet\">\n<thead><tr><th scope=\"col\">Character</th>");
        foreach (CharacterPose pose in poses)
        {
            html.Append("<th scope=\"col\">").Append(pose).Append("</th>");
        }

        html.Append("<th scope=\"col\">Save</th></tr></thead>\n<tbody>\n");
        foreach (Character character in characters)
        {
            Row(html, character, poses, byRef);
        }

        html.Append("</tbody>\n</table>\n</main>\n")
            .Append("<section id=\"result\" aria-labelledby=\"result-title\">\n<h2 id=\"result-title\">Commands</h2>\n")
            .Append("<p id=\"summary\" role=\"status\">Nothing selected.</p>\n")
            .Append("<textarea id=\"commands\" readonly rows=\"6\" spellcheck=\"false\" aria-label=\"PowerShell commands for the selection\"></textarea>\n")
            .Append("<p><button id=\"copy\" type=\"button\">Copy</button> <span id=\"copied\" role=\"status\"></span></p>\n</section>\n")
            .Append("<pre id=\"selftest\" hidden></pre>\n")
            .Append("<script nonce=\"").Append(nonce).Append("\">").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Row(StringBuilder html, Character character, IReadOnlyList<CharacterPose> poses, Dictionary<(string, CharacterPose), RefImage> byRef)
    {
        string name = string.IsNullOrEmpty(character.Name) ? character.Id : character.Name;
        html.Append("<tr class=\"character\" data-id=\"").Append(Encode(character.Id)).Append("\">\n<th scope=\"row\">")
            .Append("<div class=\"name\">").Append(Encode(name)).Append("</div>")
            .Append("<div class=\"id\"><code>").Append(Encode(character.Id)).Append("</code></div>")
            .Append("<div class=\"status status-").Append(Encode(character.Status.ToLowerInvariant())).Append("\">").Append(Encode(character.Status)).Append("</div>");
        if (character.State == CharacterStatus.Failed && !string.IsNullOrEmpty(character.ErrorMessage))
        {
            html.Append("<div class=\"error\">").Append(Encode(character.ErrorMessage)).Append("</div>");
        }

        var attributes = Attributes(character.Attributes);
        if (attributes.Count > 0)
        {
            html.Append("<dl class=\"attributes\">");
            foreach (var (field, value) in attributes)
            {
                html.Append("<dt>").Append(Encode(field)).Append("</dt><dd>").Append(Encode(value)).Append("</dd>");
            }

            html.Append("</dl>");
        }

        html.Append("</th>\n");
        foreach (CharacterPose pose in poses)
        {
            html.Append("<td class=\"pose\"><figure>");
            if (!byRef.TryGetValue((character.Id, pose), out RefImage? image))
            {
                html.Append("<div class=\"missing\">No ").Append(pose.ToString().ToLowerInvariant()).Append(" ref</div>");
            }
            else if (image.Error != null)
            {
                html.Append("<div class=\"missing\">").Append(Encode(image.Error.Detail)).Append("</div>");
            }
            else if (!Embeddable.Contains(image.MediaType ?? string.Empty))
            {
                html.Append("<div class=\"missing\">A ").Append(Encode(image.MediaType ?? "untyped")).Append(" image, which a page cannot show; save it with Save-AurousCharacterRef</div>");
            }
            else
            {
                html.Append("<img src=\"data:").Append(Encode(image.MediaType!.ToLowerInvariant())).Append(";base64,").Append(Convert.ToBase64String(image.Bytes!))
                    .Append("\" alt=\"").Append(pose).Append(" of ").Append(Encode(name)).Append('"');
                if (image.Size is PngSize size)
                {
                    html.Append(" width=\"").Append(size.Width.ToString(CultureInfo.InvariantCulture)).Append("\" height=\"").Append(size.Height.ToString(CultureInfo.InvariantCulture)).Append('"');
                }

                html.Append('>');
            }

            html.Append("<figcaption><label><input type=\"checkbox\" class=\"regenerate\" data-pose=\"").Append(pose).Append("\" aria-label=\"Regenerate the ")
                .Append(pose).Append(" pose of ").Append(Encode(name)).Append("\"> Regenerate</label></figcaption></figure></td>\n");
        }

        html.Append("<td class=\"save\"><label><input type=\"checkbox\" class=\"save\" aria-label=\"Save ").Append(Encode(name)).Append("\"> Save</label></td>\n</tr>\n");
    }

    /// <summary>The attributes set, by their API names (hair_color), in the API's order.</summary>
    internal static List<(string Field, string Value)> Attributes(CharacterAttributes? attributes)
    {
        var list = new List<(string, string)>();
        if (attributes is null)
        {
            return list;
        }

        void Add(string field, object? value)
        {
            if (value is not null)
            {
                list.Add((field, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
            }
        }

        Add("gender", attributes.Gender);
        Add("age", attributes.Age);
        Add("ethnicity", attributes.Ethnicity);
        Add("hair_color", attributes.HairColor);
        Add("hair_style", attributes.HairStyle);
        Add("eye_color", attributes.EyeColor);
        Add("body_type", attributes.BodyType);
        Add("additional_details", attributes.AdditionalDetails);
        return list;
    }

    /// <summary>Text and attribute values made inert: the five characters HTML gives meaning to become references.</summary>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var encoded = new StringBuilder(text!.Length + 16);
        foreach (char c in text)
        {
            encoded.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return encoded.ToString();
    }

    private static string NewNonce()
    {
        var bytes = new byte[18];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        return Convert.ToBase64String(bytes);
    }

    private const string Style = @"
:root { color-scheme: light dark; --line: #c8c8d0; --muted: #666; --accent: #3a5ccc; }
@media (prefers-color-scheme: dark) { :root { --line: #444; --muted: #aaa; --accent: #8aa4ff; } }
body { font-family: system-ui, sans-serif; margin: 1.5rem; }
h1 { margin: 0 0 .25rem; font-size: 1.5rem; }
header p { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; }
thead th { position: sticky; top: 0; background: Canvas; text-align: left; padding: .5rem; border-bottom: 2px solid var(--line); }
tbody th, tbody td { vertical-align: top; padding: .75rem .5rem; border-bottom: 1px solid var(--line); }
tbody th { text-align: left; font-weight: normal; min-width: 12rem; max-width: 18rem; overflow-wrap: anywhere; }
.name { font-weight: bold; font-size: 1.1rem; }
.id code { font-size: .8rem; color: var(--muted); }
.status { margin: .25rem 0; font-variant: small-caps; }
.status-failed, .error { color: #c03030; }
dl.attributes { display: grid; grid-template-columns: auto 1fr; gap: .1rem .5rem; margin: .5rem 0 0; font-size: .85rem; }
dl.attributes dt { color: var(--muted); }
dl.attributes dd { margin: 0; }
figure { margin: 0; }
img { display: block; width: 16rem; max-width: 20vw; height: auto; border: 1px solid var(--line); }
.missing { width: 16rem; max-width: 20vw; aspect-ratio: 1; display: flex; align-items: center; justify-content: center; text-align: center; border: 1px dashed var(--line); color: var(--muted); font-size: .85rem; padding: .5rem; box-sizing: border-box; overflow-wrap: anywhere; }
figcaption { margin-top: .35rem; }
td.save { vertical-align: middle; }
label { cursor: pointer; }
#result { position: sticky; bottom: 0; background: Canvas; padding: .5rem 0; border-top: 2px solid var(--line); margin-top: 1rem; }
#result h2 { font-size: 1.1rem; margin: 0; }
textarea { width: 100%; max-width: 60rem; font-family: ui-monospace, monospace; box-sizing: border-box; }
button { font: inherit; padding: .3rem 1.2rem; }
";

    private const string Script = @"
(function () {
  'use strict';
  var order = ['Portrait', 'Front', 'Side', 'Back', 'Other'];
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.character'));
  var area = document.getElementById('commands');
  var summary = document.getElementById('summary');
  var copied = document.getElementById('copied');

  function quote(id) { return /^[A-Za-z0-9_-]+$/.test(id) ? id : ""'"" + id.replace(/'/g, ""''"") + ""'""; }
  function boxes(row, kind) { return Array.prototype.slice.call(row.querySelectorAll('input.' + kind)); }
  function posesOf(row) {
    var ticked = boxes(row, 'regenerate').filter(function (b) { return b.checked; }).map(function (b) { return b.getAttribute('data-pose'); });
    return order.filter(function (p) { return ticked.indexOf(p) >= 0; });
  }

  // Regenerate lines first, one per set of poses (the same poses for several characters share one line), then
  // one Save line. A character is either saved or regenerated: ticking one clears the other.
  function commands() {
    var keys = [], ids = {}, saves = [], generations = 0;
    rows.forEach(function (row) {
      var id = quote(row.getAttribute('data-id'));
      var poses = posesOf(row);
      if (poses.length) {
        var key = poses.join(',');
        if (!ids[key]) { ids[key] = []; keys.push(key); }
        ids[key].push(id);
        generations += poses.length;
      } else if (boxes(row, 'save')[0].checked) {
        saves.push(id);
      }
    });
    var lines = keys.map(function (key) { return 'Invoke-AurousResynthesis -Id ' + ids[key].join(', ') + ' -Pose ' + key; });
    if (saves.length) { lines.push('Save-AurousCharacter -Id ' + saves.join(', ')); }
    return { text: lines.join('\n'), generations: generations, saves: saves.length };
  }

  function update() {
    var result = commands();
    area.value = result.text;
    var parts = [];
    if (result.generations) { parts.push(result.generations + (result.generations === 1 ? ' pose' : ' poses') + ' to regenerate (' + result.generations + (result.generations === 1 ? ' credit)' : ' credits)')); }
    if (result.saves) { parts.push(result.saves + (result.saves === 1 ? ' character' : ' characters') + ' to save (free)'); }
    summary.textContent = parts.length ? parts.join(', ') + '.' : 'Nothing selected.';
    copied.textContent = '';
  }

  rows.forEach(function (row) {
    boxes(row, 'regenerate').forEach(function (box) {
      box.addEventListener('change', function () { if (box.checked) { boxes(row, 'save')[0].checked = false; } update(); });
    });
    boxes(row, 'save').forEach(function (box) {
      box.addEventListener('change', function () {
        if (box.checked) { boxes(row, 'regenerate').forEach(function (b) { b.checked = false; }); }
        update();
      });
    });
  });

  document.getElementById('copy').addEventListener('click', function () {
    function fallback() {
      area.focus();
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      copied.textContent = ok ? 'Copied.' : 'Select the text and copy it.';
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(function () { copied.textContent = 'Copied.'; }, fallback);
    } else {
      fallback();
    }
  });

  // #selftest=char_A:Side,Back;char_B:save ticks those boxes by clicking them, as a person would, and writes what the
  // page then shows (images decoded, commands) into #selftest: how the tests drive the page in a headless browser.
  function selftest() {
    var spec = decodeURIComponent(location.hash.slice('#selftest'.length).replace(/^=/, ''));
    spec.split(';').filter(Boolean).forEach(function (item) {
      var at = item.lastIndexOf(':');
      var id = item.slice(0, at), wanted = item.slice(at + 1).split(',');
      rows.filter(function (row) { return row.getAttribute('data-id') === id; }).forEach(function (row) {
        // In the order given, as a person would tick them.
        wanted.forEach(function (name) {
          boxes(row, 'regenerate').concat(boxes(row, 'save')).forEach(function (box) {
            if ((box.classList.contains('save') ? 'save' : box.getAttribute('data-pose')) === name) { box.click(); }
          });
        });
      });
    });
    var images = Array.prototype.slice.call(document.images);
    var report = {
      images: images.length,
      decoded: images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length,
      broken: images.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).map(function (i) { return i.alt; }),
      commands: area.value,
      summary: summary.textContent
    };
    var out = document.getElementById('selftest');
    out.textContent = JSON.stringify(report);
    out.hidden = false;
  }

  update();
  if (location.hash.indexOf('#selftest') === 0) {
    if (document.readyState === 'complete') { selftest(); } else { window.addEventListener('load', selftest); }
  }
}());
";
}
