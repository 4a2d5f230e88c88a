"use client";

import * as React from "react";

/*
 * Dropdown menus whose code loads on first use. A Radix DropdownMenu brings its positioning
 * (floating-ui), focus trap, dismissable layer, roving focus and scroll lock: about 25 kB gzip,
 * which is too much to download on every page for menus that most visits never open (the top
 * bar's theme and account menus, the list's column chooser, a person's actions).
 *
 * Until the menu is wanted, the page renders a plain button with the role and state of a Radix
 * menu trigger (aria-haspopup="menu", aria-expanded="false"), which opens on the same input as
 * one: the main pointer button going down, or Enter, Space or ArrowDown. Pointing at it or
 * focusing it starts the download early. Once loaded, the real menu replaces the button, mounted
 * open, and from then on it is an ordinary Radix menu.
 */

export type MenuOpenedWith = "pointer" | "keyboard";

/** What a lazily loaded menu component is given besides its own props. */
export type LazyMenuProps = { openedWith: MenuOpenedWith };

type TriggerProps = {
  "aria-haspopup": "menu";
  "aria-expanded": false;
  "data-state": "closed";
  onPointerEnter: () => void;
  onFocus: () => void;
  onPointerDown: (event: React.PointerEvent) => void;
  onKeyDown: (event: React.KeyboardEvent) => void;
};

/**
 * `load` resolves to the menu component (keep it a stable, module-level function). Render
 * `Menu` with `openedWith` once it is set; until then render the stand-in button with
 * `triggerProps`.
 */
export function useLazyMenu<P extends LazyMenuProps>(
  load: () => Promise<React.ComponentType<P>>,
): { Menu: React.ComponentType<P> | null; openedWith: MenuOpenedWith; triggerProps: TriggerProps } {
  const [loaded, setLoaded] = React.useState<{ Menu: React.ComponentType<P>; openedWith: MenuOpenedWith } | null>(null);
  const pending = React.useRef<Promise<React.ComponentType<P>> | null>(null);
  const wanted = React.useRef<MenuOpenedWith | null>(null);

  const fetchMenu = () => {
    // A failed download may be tried again by the next press.
    pending.current ??= load().catch((err: unknown) => {
      pending.current = null;
      throw err;
    });
    return pending.current;
  };
  const open = (openedWith: MenuOpenedWith) => {
    if (wanted.current) return;
    wanted.current = openedWith;
    fetchMenu().then(
      (Menu) => setLoaded({ Menu, openedWith }),
      () => {
        wanted.current = null;
      },
    );
  };

  return {
    Menu: loaded?.Menu ?? null,
    openedWith: loaded?.openedWith ?? "pointer",
    triggerProps: {
      "aria-haspopup": "menu",
      "aria-expanded": false,
      "data-state": "closed",
      onPointerEnter: () => void fetchMenu().catch(() => {}),
      onFocus: () => void fetchMenu().catch(() => {}),
      // As a Radix trigger: open on pointer down with the main button, and keep the focus where
      // it is (the menu takes it when it opens).
      onPointerDown: (event) => {
        if (event.button !== 0 || event.ctrlKey) return;
        event.preventDefault();
        open("pointer");
      },
      onKeyDown: (event) => {
        if (event.key !== "Enter" && event.key !== " " && event.key !== "ArrowDown") return;
        event.preventDefault();
        open("keyboard");
      },
    },
  };
}

/**
 * For the menu content's `onFocus`. A Radix menu opened from the keyboard moves the focus on to its
 * first item when it opens; one that loaded after the key press never saw it, and would leave the
 * focus on the menu itself. This does what Radix would have done, for that first opening only
 * (Radix sees every later key press itself).
 */
export function useFirstOpenFocus(openedWith: MenuOpenedWith) {
  const pending = React.useRef(openedWith === "keyboard");
  return React.useCallback((event: React.FocusEvent<HTMLElement>) => {
    // Radix focuses the menu (the content element) when it opens.
    if (!pending.current || event.target !== event.currentTarget) return;
    pending.current = false;
    event.currentTarget.querySelector<HTMLElement>('[role^="menuitem"]:not([data-disabled])')?.focus({ preventScroll: true });
  }, []);
}
