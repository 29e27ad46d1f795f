import type { ComponentChildren } from "preact";

// Small inline icons (no emoji: they render differently, or not at all, across systems).

type P = { size?: number };
const svg = (size: number, children: ComponentChildren, fill = false) => (
  <svg
    width={size}
    height={size}
    viewBox="0 0 24 24"
    fill={fill ? "currentColor" : "none"}
    stroke={fill ? "none" : "currentColor"}
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    {children}
  </svg>
);

export const MicIcon = ({ size = 22 }: P) =>
  svg(
    size,
    <>
      <rect x="9" y="3" width="6" height="11" rx="3" />
      <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
    </>,
  );

export const MicOffIcon = ({ size = 22 }: P) =>
  svg(
    size,
    <>
      <path d="M15 9.5V6a3 3 0 0 0-5.8-1M9 9v2a3 3 0 0 0 4.9 2.3M5 11a7 7 0 0 0 11.3 5.5M19 11a7 7 0 0 1-.6 2.8M12 18v3M3 3l18 18" />
    </>,
  );

export const HandIcon = ({ size = 22 }: P) =>
  svg(
    size,
    <path d="M8 12V5.5a1.5 1.5 0 0 1 3 0V11m0-6.5v-1a1.5 1.5 0 0 1 3 0V11m0-6a1.5 1.5 0 0 1 3 0v7m0-3.5a1.5 1.5 0 0 1 3 0V15a7 7 0 0 1-7 7h-1.2a7 7 0 0 1-5.4-2.6L3.3 16a1.6 1.6 0 0 1 2.4-2.1L8 16" />,
  );

export const PlusIcon = ({ size = 20 }: P) => svg(size, <path d="M12 5v14M5 12h14" />);
export const ChevronLeft = ({ size = 22 }: P) => svg(size, <path d="M15 18l-6-6 6-6" />);
export const LockIcon = ({ size = 16 }: P) =>
  svg(
    size,
    <>
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </>,
  );
export const PeopleIcon = ({ size = 16 }: P) =>
  svg(
    size,
    <>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 7M18 14a6 6 0 0 1 3.5 6" />
    </>,
  );
export const BubbleIcon = ({ size = 16 }: P) =>
  svg(size, <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.5-4.6A8 8 0 1 1 21 12z" />);
export const EnvelopeIcon = ({ size = 18 }: P) =>
  svg(
    size,
    <>
      <rect x="3" y="5" width="18" height="14" rx="2.5" />
      <path d="M3.5 6.5l8.5 6 8.5-6" />
    </>,
  );
export const StarIcon = ({ size = 12 }: P) =>
  svg(size, <path d="M12 2.5l2.9 6 6.6.9-4.8 4.6 1.2 6.5L12 17.4l-5.9 3.1 1.2-6.5L2.5 9.4l6.6-.9z" />, true);
export const SpeakerIcon = ({ size = 18 }: P) =>
  svg(
    size,
    <>
      <path d="M4 9v6h4l5 4V5L8 9z" />
      <path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" />
    </>,
  );
export const CopyIcon = ({ size = 18 }: P) =>
  svg(
    size,
    <>
      <rect x="9" y="9" width="11" height="11" rx="2" />
      <path d="M5 15V6a2 2 0 0 1 2-2h9" />
    </>,
  );
export const CupIcon = ({ size = 26 }: P) =>
  svg(
    size,
    <>
      <path d="M4 10h13v3a6 6 0 0 1-6 6h-1a6 6 0 0 1-6-6z" />
      <path d="M17 11.5h1.5a2.5 2.5 0 0 1 0 5H16M8 3.5c0 1.5 1.5 1.5 1.5 3M12 3.5c0 1.5 1.5 1.5 1.5 3" />
    </>,
  );
export const BellIcon = ({ size = 20 }: P) =>
  svg(
    size,
    <>
      <path d="M6 9a6 6 0 0 1 12 0c0 5 2 6.5 2 6.5H4S6 14 6 9z" />
      <path d="M10 19.5a2.2 2.2 0 0 0 4 0" />
    </>,
  );
export const SearchIcon = ({ size = 20 }: P) =>
  svg(
    size,
    <>
      <circle cx="11" cy="11" r="6.5" />
      <path d="M16 16l4.5 4.5" />
    </>,
  );
export const MoreIcon = ({ size = 22 }: P) =>
  svg(
    size,
    <>
      <circle cx="5" cy="12" r="1.6" />
      <circle cx="12" cy="12" r="1.6" />
      <circle cx="19" cy="12" r="1.6" />
    </>,
    true,
  );
export const CalendarIcon = ({ size = 18 }: P) =>
  svg(
    size,
    <>
      <rect x="3.5" y="5" width="17" height="15.5" rx="2.5" />
      <path d="M3.5 10h17M8 3v4M16 3v4" />
    </>,
  );
export const WaveIcon = ({ size = 18 }: P) =>
  svg(
    size,
    <path d="M7 11.5V6.8a1.4 1.4 0 0 1 2.8 0v4.7m0-5.7V4.6a1.4 1.4 0 0 1 2.8 0v6.9m0-5.2a1.4 1.4 0 0 1 2.8 0v6.4m0-2.6a1.4 1.4 0 0 1 2.8 0V15a7 7 0 0 1-7 7h-.6a7 7 0 0 1-5.6-2.8L3 15.6a1.5 1.5 0 0 1 2.3-1.9L7 15.5M16 2.5c1.4.4 2.7 1.5 3.3 2.9M18.5 1c2 .6 3.6 2.2 4.2 4.2" />,
  );
export const CheckIcon = ({ size = 18 }: P) => svg(size, <path d="M5 12.5l4.5 4.5L19 7.5" />);
export const HouseIcon = ({ size = 18 }: P) =>
  svg(
    size,
    <>
      <path d="M4 11l8-6.5 8 6.5" />
      <path d="M6 9.5V20h12V9.5" />
    </>,
  );
export const HeartIcon = ({ size = 18 }: P) =>
  svg(size, <path d="M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z" />);
export const ListIcon = ({ size = 18 }: P) => svg(size, <path d="M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01" />);
export const FlagIcon = ({ size = 18 }: P) => svg(size, <path d="M5 21V4M5 4h11l-2 4 2 4H5" />);
export const StopIcon = ({ size = 18 }: P) => svg(size, <rect x="6" y="6" width="12" height="12" rx="2" />);
export const KeyIcon = ({ size = 18 }: P) =>
  svg(
    size,
    <>
      <circle cx="8" cy="15" r="4" />
      <path d="M10.8 12.2L20 3M16 7l3 3M14 9l2 2" />
    </>,
  );
