#!/usr/bin/env ruby
# frozen_string_literal: true
#
# The HTML redcarpet 3.6.0 gives Slate for each markdown file: Slate's options and
# renderer (headings with Slate's ids, Middleman's links and images), code blocks as a
# placeholder `<pre lang="LANG">CODE</pre>` (`<pre>` without a language), image
# sources kept as written. `shale`'s side is `cargo run --example markdown_html`; the
# differential test `tests/suite/redcarpet.rs` compares the two byte for byte.
#
# usage: redcarpet-html.rb ORACLE_DIR FILE.md...   (writes FILE.md.html beside each)
#
# ORACLE_DIR is ../shared/oracle: slate-oracle.rb compiles redcarpet 3.6.0 from its
# source there on first use (ruby-dev, gcc, make) and puts it first on the load path.

oracle = ARGV.shift or abort('usage: redcarpet-html.rb ORACLE_DIR FILE.md...')
require File.expand_path('slate-oracle.rb', oracle)

unless Redcarpet::VERSION == '3.6.0'
  abort "redcarpet-html.rb: redcarpet #{Redcarpet::VERSION} loaded, 3.6.0 needed (install ruby-dev, gcc, make)"
end

# Slate's renderer, with code blocks and images that do not depend on files.
class HarnessRenderer < SlateOracle::Renderer
  def block_code(code, lang)
    attr = lang.nil? ? '' : %( lang="#{SlateOracle.escape_attr(lang)}")
    "<pre#{attr}>#{SlateOracle.escape_attr(code)}</pre>"
  end

  def image(link, title, alt_text)
    attrs = +%( src="#{SlateOracle.escape_attr(link.to_s)}")
    attrs << %( title="#{SlateOracle.escape_attr(title)}") unless title.nil?
    attrs << %( alt="#{SlateOracle.escape_attr(alt_text || '')}")
    "<img#{attrs} />"
  end
end

ARGV.each do |path|
  text = File.binread(path).force_encoding(Encoding::UTF_8)
  renderer = HarnessRenderer.new({})
  html = Redcarpet::Markdown.new(renderer, SlateOracle::MARKDOWN_OPTIONS.dup).render(text)
  File.binwrite("#{path}.html", html)
end
